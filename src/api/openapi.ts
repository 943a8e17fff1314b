/**
 * The OpenAPI 3.1 document, generated from the route book's zod schemas (zod 4's JSON Schema is
 * draft 2020-12, which OpenAPI 3.1 uses as is), so the document cannot drift from the checks.
 */
import { z } from 'zod';
import type { RouteSpec } from './route-book';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Path, query and header parameters of a route. */
function parameters(spec: RouteSpec): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      list.push({
        name,
        in: where,
        required: where === 'path' || (object.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  for (const header of spec.headers ?? [])
    list.push({
      name: header.name,
      in: 'header',
      required: !!header.required,
      description: header.description,
      schema: { type: 'string' },
    });
  return list;
}

export function openApiDocument(routes: readonly RouteSpec[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    const responses = Object.fromEntries(
      Object.entries(spec.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema
            ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
            : response.contentType
              ? {
                  content: {
                    [response.contentType]: {
                      schema: { type: 'string', ...(response.binary ? { format: 'binary' } : {}) },
                    },
                  },
                }
              : {}),
        },
      ]),
    );
    (paths[path] ??= {})[spec.method.toLowerCase()] = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.roles === 'public' ? { security: [] } : { 'x-roles': spec.roles, security: [{ bearer: [] }] }),
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : {}),
      ...(spec.rawBody
        ? {
            requestBody: {
              required: true,
              description: spec.rawBody.description,
              content: Object.fromEntries(
                spec.rawBody.contentTypes.map((type) => [
                  type,
                  { schema: { type: 'string', format: 'binary' } },
                ]),
              ),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'Enrollment of resellers into the 21Vianet China CSP program. Bearer tokens name the caller and its role ' +
        '(applicant, reviewer, review-lead, operator); `x-roles` lists the roles allowed per operation.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

# Multi-stage build: compile TypeScript and the workflow bundle once, ship only what runs.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# tsc compiles code only; the reviewer console's static files ship beside it.
COPY --from=build /app/src/console/assets ./dist/src/console/assets
# The documents' store, the audit log and the log of sent emails, when they are folders: compose's
# named volumes take these folders' owner and mode when it first creates them.
RUN mkdir -p /var/lib/csp/documents /var/lib/csp/audit /var/lib/csp/mail-sent && chown -R node:node /var/lib/csp \
  && chmod 700 /var/lib/csp/documents /var/lib/csp/audit /var/lib/csp/mail-sent
USER node
# The worker by default; compose runs the simulator from the same image.
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=16", "dist/src/worker/main.js"]

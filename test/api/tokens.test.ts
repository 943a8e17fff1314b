/**
 * Static tokens (CSP_API_TOKENS): who each stands for, and the email it proves when it names one
 * — whom its holder signs the agreement as.
 */
import { DEVELOPMENT_SIGNER, developmentTokens, parseTokens, tokensSpec } from '../../src/api/tokens';

const TOKEN = 'static-token-0123456789';

test('a token naming an email proves it; one without proves none', () => {
  const table = parseTokens(
    `${TOKEN}-a=applicant:wei.zhang:wei.zhang@yunfan.example.cn, ${TOKEN}-b=applicant:zhao.lei`,
  );
  expect(table.authenticate(`${TOKEN}-a`)).toEqual({
    role: 'applicant',
    id: 'wei.zhang',
    email: 'wei.zhang@yunfan.example.cn',
  });
  expect(table.authenticate(`${TOKEN}-b`)).toEqual({ role: 'applicant', id: 'zhao.lei' });
  // Written back as the stacks pass it on to their API process.
  expect(parseTokens(tokensSpec(table)).entries()).toEqual(table.entries());
});

test('a token whose email is not one is refused at start-up, the item named', () => {
  expect(() => parseTokens(`${TOKEN}=applicant:wei.zhang:wei.zhang`)).toThrow(
    /CSP_API_TOKENS item 1: email: must be an email address/,
  );
});

test('the development applicant token signs as the examples’ global admin', () => {
  const applicant = developmentTokens()
    .entries()
    .find((entry) => entry.caller.role === 'applicant');
  expect(applicant?.caller).toEqual({ role: 'applicant', id: 'applicant-1', email: DEVELOPMENT_SIGNER });
});

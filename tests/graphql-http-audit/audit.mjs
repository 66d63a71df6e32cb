// Runs the graphql-http package's server audits (GraphQL-over-HTTP spec conformance) against a running endpoint.
//   npm ci && node audit.mjs [--strict] http://127.0.0.1:5076/graphql
// Prints one line per audit and a summary. Exits 1 when a MUST audit fails; with --strict also when a SHOULD or MAY
// audit fails (the test suite runs it so: Helpline answers every SHOULD).
import { serverAudits } from 'graphql-http';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const url = args.find((a) => !a.startsWith('--')) ?? process.env.GRAPHQL_URL;
if (!url) {
  console.error('usage: node audit.mjs [--strict] <url of the GraphQL endpoint>   (or set GRAPHQL_URL)');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url })) {
  // one at a time, so the server's log stays readable
  results.push(await audit.fn());
}

const symbol = { ok: 'PASS', notice: 'NOTE', warn: 'WARN', error: 'FAIL' };
for (const result of results) {
  const reason = result.status === 'ok' ? '' : `  -- ${result.reason}`;
  console.log(`${symbol[result.status] ?? result.status} ${result.id} ${result.name}${reason}`);
}

const count = (status) => results.filter((r) => r.status === status).length;
const passed = count('ok');
const errors = count('error');
const warnings = count('warn');
console.log(
  `\ngraphql-http audits against ${url}: ${passed} of ${results.length} pass; ` +
    `${errors} MUST failures, ${warnings} SHOULD/MAY warnings, ${count('notice')} notices` +
    (strict ? ' (strict: warnings fail)' : ''),
);
process.exit(errors > 0 || (strict && warnings > 0) ? 1 : 0);

// The GraphiQL page the host serves at GET /graphql to a browser (README: "GraphiQL"). Everything is bundled by vite:
// the page works offline and its Content-Security-Policy allows only this origin.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';

// The token lives in sessionStorage: it is gone when the tab closes, and GraphiQL's own localStorage (query history,
// headers) never holds it.
const tokenKey = 'helpline:bearer';
const tokenInput = document.getElementById('token');
const tokenState = document.getElementById('token-state');

function showTokenState() {
  const token = sessionStorage.getItem(tokenKey);
  tokenState.textContent = token ? 'requests carry this token' : 'no token: requests ask as the public';
}

document.getElementById('token-bar').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim().replace(/^Bearer\s+/i, '');
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
  tokenInput.value = '';
  showTokenState();
});
document.getElementById('forget').addEventListener('click', () => {
  sessionStorage.removeItem(tokenKey);
  tokenInput.value = '';
  showTokenState();
});
showTokenState();

// Queries and mutations are posted to the page's own /graphql; subscriptions go over a WebSocket to it
// (graphql-transport-ws), the token in connection_init. Headers typed in GraphiQL's headers editor win over the token box.
function headersFor(options) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
  };
  const token = sessionStorage.getItem(tokenKey);
  if (token) headers.Authorization = `Bearer ${token}`;
  return Object.assign(headers, options?.headers);
}

function isSubscription(params) {
  try {
    return getOperationAST(parse(params.query), params.operationName)?.operation === 'subscription';
  } catch {
    return false; // the server reports the syntax error
  }
}

function subscribe(params, headers) {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const client = createClient({ url: url.href, retryAttempts: 0, connectionParams: authorization ? { Authorization: authorization } : {} });
  const events = client.iterate(params);
  // Stopping the subscription in GraphiQL ends the iterator: close the socket with it.
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => events.next(),
    return: async () => {
      await events.return?.();
      await client.dispose();
      return { done: true, value: undefined };
    },
  };
}

async function fetcher(params, options) {
  const headers = headersFor(options);
  if (isSubscription(params)) return subscribe(params, headers);
  const response = await fetch(new URL('/graphql', window.location.href), {
    method: 'POST',
    headers,
    body: JSON.stringify(params),
  });
  return response.json();
}

const defaultQuery = `# Set a token above (or none, for the public reference data), then run with Ctrl-Enter.
{
  departments {
    id
    name
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    shouldPersistHeaders: false,
  }),
);

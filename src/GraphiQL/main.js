// The GraphiQL page the host serves at GET /graphql to a browser (README: "GraphiQL"). Everything is bundled by vite:
// the page works offline and its Content-Security-Policy allows only this origin.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';

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

// Posts to the page's own /graphql. Headers typed in GraphiQL's headers editor win over the token box.
async function fetcher(params, options) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
  };
  const token = sessionStorage.getItem(tokenKey);
  if (token) headers.Authorization = `Bearer ${token}`;
  Object.assign(headers, options?.headers);
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

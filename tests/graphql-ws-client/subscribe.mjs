// Subscribes with the npm graphql-ws client and prints what happens, one JSON object a line:
//   {"ready":true}            the server has the subscription (two pongs came back after it was sent, and the server
//                             reads a connection's messages in order)
//   {"next":{...}}            an execution result
//   {"error":[...]}           the operation's errors
//   {"closed":{"code":N,"reason":"..."}}
//   {"complete":true}
// Usage: node subscribe.mjs URL TOKEN QUERY [VARIABLES_JSON] [EXIT_AFTER_N_RESULTS]   (TOKEN "" for none)
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variablesJson, exitAfter] = process.argv.slice(2);
const out = (x) => process.stdout.write(JSON.stringify(x) + '\n');
let results = 0;
let subscribed = false;
let pongs = 0;

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  keepAlive: 25,
  connectionParams: token ? { Authorization: `Bearer ${token}` } : undefined,
  on: {
    connected: () => {
      client.subscribe(
        { query, variables: variablesJson ? JSON.parse(variablesJson) : undefined },
        {
          next: (value) => {
            out({ next: value });
            if (exitAfter && ++results >= Number(exitAfter)) {
              client.dispose().then(() => process.exit(0));
            }
          },
          error: (e) => {
            if (e && typeof e.code === 'number') out({ closed: { code: e.code, reason: e.reason } });
            else out({ error: e });
          },
          complete: () => out({ complete: true }),
        },
      );
      subscribed = true;
    },
    pong: () => {
      if (subscribed && ++pongs === 2) out({ ready: true });
    },
    closed: (e) => {
      out({ closed: { code: e.code, reason: e.reason } });
      process.exit(0);
    },
  },
});

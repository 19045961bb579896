// The JSON values of the bench's json-1KB and json-200B data sets (lib/kafka.mjs produceJson
// writes them to Kafka; bench/micro/sink-json.bench.ts builds frames of the same values): valid,
// distinct JSON objects of about `size` bytes, ids, timestamps, a user from a list of 97, an
// action, a page, a boolean, a decimal, an array and a filler note.
const USERS = Array.from({ length: 97 }, (_, i) => `user-${(i * 7919) % 100000}`);
const ACTIONS = ['view', 'click', 'scroll', 'purchase', 'login', 'logout'];
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ';

/** The i-th value of about `size` bytes, as UTF-8 bytes. */
export function jsonValue(i, size) {
  const head = `{"id":${i},"ts":${1700000000000 + i},"user":"${USERS[i % USERS.length]}","action":"${ACTIONS[i % ACTIONS.length]}","page":"/p/${(i * 7919) % 100000}","ok":${i % 17 !== 0},"score":${(i % 1000) / 10},"tags":["a${i % 13}","b${i % 7}"],"note":"`;
  const room = Math.max(0, size - head.length - 2);
  let note = '';
  while (note.length < room) note += FILLER;
  return Buffer.from(`${head}${note.slice(i % 40, i % 40 + room)}"}`);
}

/** What a parser keeps per session or client (names, sessions): past this many the oldest go, so memory stays bounded. */
export const REMEMBERED = 50_000;

/** Makes `key` the newest entry of `map`, holding `value`; the oldest entry goes when the map is full. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.get(key) === value) return;
  map.delete(key);
  if (map.size >= REMEMBERED) map.delete(map.keys().next().value!);
  map.set(key, value);
}

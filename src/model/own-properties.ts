// Plain objects keyed by names a request chooses (attribute names, table and index names): reads see
// only the object's own members, never Object.prototype's ('constructor', 'valueOf', …), and a member
// named __proto__ is stored as data instead of replacing the prototype.

/** The value the object itself holds under `name`. */
export function ownValue<T>(object: { readonly [name: string]: T }, name: string): T | undefined {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** Sets `name` as an own, enumerable member, also when it is __proto__. */
export function setOwn<T>(object: { [name: string]: T }, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  else object[name] = value;
}

/**
 * A value worked out once per request, however many times it is asked: the
 * rate limiter and then the API or the pages each need to know who a request
 * is, and asking twice would read the directory or verify a token twice.
 */
export function oncePerRequest<T>(): (req: object, compute: () => Promise<T>) => Promise<T> {
  const known = new WeakMap<object, Promise<T>>();
  return (req, compute) => {
    let value = known.get(req);
    if (!value) {
      value = compute();
      known.set(req, value);
    }
    return value;
  };
}

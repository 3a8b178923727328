/**
 * `compute` answering each argument once: later calls with the same argument (by `Map` key equality) return the first
 * answer. For pure functions of fixed data that composition asks again for every container of every cluster. The
 * answers are kept for the life of the process, so the arguments must come from a bounded set (catalog keys, names).
 */
export function remembered<K, V>(compute: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key: K): V => {
    if (answers.has(key)) return answers.get(key) as V;
    const answer = compute(key);
    answers.set(key, answer);
    return answer;
  };
}

// A set that names its least member by a key fixed per member, in O(log n) per change: the
// Dispatcher's ready jobs of a database (least = best) and its open jobs (least = shortest tail).
// A member leaving stays in the heap until it comes up, and is dropped then; a heap entry per
// member at most, however often it leaves and comes back.
import { MinHeap } from './min-heap.js';

export class LeastSet<T> {
  private readonly members = new Set<T>();
  private readonly queued = new Set<T>();
  private readonly heap = new MinHeap<T>();

  constructor(private readonly key: (value: T) => number) {}

  get size(): number {
    return this.members.size;
  }

  add(value: T): void {
    this.members.add(value);
    if (this.queued.has(value)) return;
    this.queued.add(value);
    this.heap.push(this.key(value), value);
  }

  delete(value: T): void {
    this.members.delete(value);
  }

  /** The member of the least key (any one of equal keys), or undefined when empty. */
  least(): T | undefined {
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined || this.members.has(top)) return top;
      this.heap.pop();
      this.queued.delete(top);
    }
  }
}

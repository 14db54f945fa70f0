// A binary min-heap of (priority, id) for Dijkstra. Lazy deletion: a node is pushed again when its
// distance improves, and the caller skips entries that no longer match, which is simpler than
// decrease-key and as fast for the sparse graphs of a mesh.

export class MinHeap {
  readonly #priorities: number[] = [];
  readonly #ids: string[] = [];

  get size(): number {
    return this.#ids.length;
  }

  push(priority: number, id: string): void {
    this.#priorities.push(priority);
    this.#ids.push(id);
    let child = this.#ids.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.#less(child, parent)) break;
      this.#swap(child, parent);
      child = parent;
    }
  }

  /** The lowest priority (lowest id among equals); undefined when empty. */
  pop(): { priority: number; id: string } | undefined {
    if (this.#ids.length === 0) return undefined;
    const top = { priority: this.#priorities[0], id: this.#ids[0] };
    const lastPriority = this.#priorities.pop()!, lastId = this.#ids.pop()!;
    if (this.#ids.length > 0) {
      this.#priorities[0] = lastPriority;
      this.#ids[0] = lastId;
      this.#siftDown();
    }
    return top;
  }

  #siftDown(): void {
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1, right = left + 1;
      let smallest = parent;
      if (left < this.#ids.length && this.#less(left, smallest)) smallest = left;
      if (right < this.#ids.length && this.#less(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.#swap(parent, smallest);
      parent = smallest;
    }
  }

  #less(a: number, b: number): boolean {
    const pa = this.#priorities[a], pb = this.#priorities[b];
    return pa < pb || (pa === pb && this.#ids[a] < this.#ids[b]);
  }

  #swap(a: number, b: number): void {
    [this.#priorities[a], this.#priorities[b]] = [this.#priorities[b], this.#priorities[a]];
    [this.#ids[a], this.#ids[b]] = [this.#ids[b], this.#ids[a]];
  }
}

/** The requests a worker of `duckdag serve` is answering, and when it last answered one: how long it has been quiet. */
export class RequestActivity {
  #inFlight = 0;
  #lastAt = Date.now();

  started(): void {
    this.#inFlight += 1;
    this.#lastAt = Date.now();
  }

  ended(): void {
    this.#inFlight -= 1;
    this.#lastAt = Date.now();
  }

  /** Whether no request is being answered and none was for `ms`. */
  quietFor(ms: number): boolean {
    return this.#inFlight === 0 && Date.now() - this.#lastAt >= ms;
  }
}

import { EventRejectedError } from '../events/rejection.js';

/** Runs `run` and returns the reason it was rejected with, or undefined if it was not; other errors propagate. */
export function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof EventRejectedError) return error.reason;
    throw error;
  }
}

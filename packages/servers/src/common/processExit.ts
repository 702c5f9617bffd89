const exitHooks = new Set<() => void>();

/**
 * Runs `hook` if this process exits before the returned function is called: a child server
 * must never outlive the Node process that started it.
 */
export function onProcessExit(hook: () => void): () => void {
  if (exitHooks.size === 0) process.once('exit', runExitHooks);
  exitHooks.add(hook);
  return () => {
    exitHooks.delete(hook);
    if (exitHooks.size === 0) process.off('exit', runExitHooks);
  };
}

function runExitHooks(): void {
  for (const hook of exitHooks) hook();
}

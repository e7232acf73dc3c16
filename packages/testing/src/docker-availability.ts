/**
 * True when testcontainers finds a container runtime that answers. Bounded by a timeout
 * because a wedged Docker socket must not stall the whole test run.
 */
export async function isDockerAvailable(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  // Loaded lazily: testcontainers is heavy, and test files importing this package's index
  // should not pay for it on every run.
  const { getContainerRuntimeClient } = await import('testcontainers');
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

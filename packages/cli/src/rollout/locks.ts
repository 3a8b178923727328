/** What terraform prints about a held state lock ("Lock Info:" block of "Error acquiring the state lock"). */
export interface LockInfo {
  readonly id?: string;
  readonly path?: string;
  readonly operation?: string;
  readonly who?: string;
  readonly created?: string;
}

/** Whether terraform failed because another run holds the state lock. */
export function isLockError(stderr: string): boolean {
  return /Error acquiring the state lock/i.test(stderr);
}

/** The fields of the "Lock Info:" block; absent ones are left out. */
export function parseLockInfo(stderr: string): LockInfo {
  const field = (name: string): string | undefined => {
    const match = new RegExp(`^[\\s│]*${name}:[ \\t]*(\\S.*?)\\s*$`, 'm').exec(stderr);
    return match ? match[1] : undefined;
  };
  const info = {
    id: field('ID'),
    path: field('Path'),
    operation: field('Operation'),
    who: field('Who'),
    created: field('Created'),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as LockInfo;
}

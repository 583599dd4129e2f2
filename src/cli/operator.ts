// Who runs doris-migrate, as the trail and the report name them.
import { userInfo } from 'node:os';

/** The login name, or the user id where there is none (containers). */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

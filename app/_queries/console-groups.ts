// The API reads messages through throwaway groups with this prefix and deletes each when the read
// ends; one can be listed for a moment while a browse runs. They are the console's, not the user's.
const BROWSE_GROUP_PREFIX = 'kafka-console-browse-';

export function isConsoleGroup(groupId: string): boolean {
  return groupId.startsWith(BROWSE_GROUP_PREFIX);
}

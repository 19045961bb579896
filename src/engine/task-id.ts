export interface TaskId {
  connector: string;
  task: number;
}

export function taskIdString(id: TaskId): string {
  return `${id.connector}-${id.task}`;
}

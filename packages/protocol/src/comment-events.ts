/** Reader and editorial comment events (the comments issue fills these in). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CommentServerEvents {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CommentClientEvents {}

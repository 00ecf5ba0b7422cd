export { useArticleDoc, type Access, type ArticleDocState, type Connection } from './useArticleDoc.ts';
export { useAwareness, type RemoteUser } from './useAwareness.ts';
export { useYText, type YTextBinding } from './useYText.ts';
export { colorForUser, initials, USER_PALETTE } from './colors.ts';
export { wsUrl } from './wsUrl.ts';
export type { AwarenessUser } from './awarenessUser.ts';

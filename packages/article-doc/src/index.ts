export * from './shape.ts';
export * from './write.ts';
export * from './read.ts';
export * from './render.ts';
export * from './anchors.ts';

import { Fragment } from 'react';
import { COMMENT_LINK_REL, commentSegments } from '@copydesk/protocol';

/**
 * A comment body as text: React text nodes only (never HTML), with http(s) links made clickable
 * as `rel="nofollow ugc noopener"`. `mentions` (lower-case usernames) are shown in bold.
 */
export function CommentText({ body, mentions }: { body: string; mentions?: ReadonlySet<string> }) {
  return (
    <>
      {commentSegments(body).map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.href} rel={COMMENT_LINK_REL} target="_blank">
            {segment.text}
          </a>
        ) : (
          <Fragment key={i}>{mentions?.size ? <Mentions text={segment.text} mentions={mentions} /> : segment.text}</Fragment>
        ),
      )}
    </>
  );
}

function Mentions({ text, mentions }: { text: string; mentions: ReadonlySet<string> }) {
  const parts = text.split(/(@[A-Za-z0-9_.-]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith('@') && mentions.has(part.slice(1).replace(/[.-]+$/, '').toLowerCase()) ? (
          <strong key={i} className="mention">
            {part}
          </strong>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

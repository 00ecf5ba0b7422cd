import { Link } from 'react-router';

export function Logo({ link = false }: { link?: boolean }) {
  const mark = (
    <>
      <span className="logo__mark" aria-hidden="true">
        C
      </span>
      <span className="logo__name">Copydesk</span>
    </>
  );
  return link ? (
    <Link to="/" className="logo">
      {mark}
    </Link>
  ) : (
    <span className="logo">{mark}</span>
  );
}

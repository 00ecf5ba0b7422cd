import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ReaderComments } from './ReaderComments.tsx';
import './reader.css';

/*
 * Entry of the reader page's live comments (a second Vite entry; the server finds the hashed file
 * in the build manifest). It takes over `<section id="comments" data-article-id>`, replacing the
 * server-rendered first page with the live list.
 */
const section = document.getElementById('comments');
const articleId = section?.dataset.articleId;
if (section && articleId) {
  section.replaceChildren();
  section.classList.add('comments--live');
  createRoot(section).render(
    <StrictMode>
      <ReaderComments articleId={articleId} />
    </StrictMode>,
  );
}

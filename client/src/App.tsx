import { lazy, Suspense } from 'react';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { AuthProvider } from './features/auth/AuthContext.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { RequireAuth } from './features/auth/RequireAuth.tsx';
import { DeskPage } from './features/desk/DeskPage.tsx';
import { FullPageMessage } from './components/FullPageMessage.tsx';
import { ModerationPage } from './features/comments/moderation/ModerationPage.tsx';

// The editor (Tiptap, ProseMirror, Yjs) is most of the code: load it only when an article opens.
const EditorPage = lazy(() => import('./features/editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const BoardPage = lazy(() => import('./features/board/BoardPage.tsx').then((m) => ({ default: m.BoardPage })));

function PageNotFound() {
  return (
    <main className="full-page-error">
      <div className="full-page-error__card">
        <p className="full-page-error__code" aria-hidden="true">
          404
        </p>
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link to="/" className="button button--primary">
          Back to the desk
        </Link>
      </div>
    </main>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<RequireAuth />}>
            <Route path="/" element={<DeskPage />} />
            <Route
              path="/board"
              element={
                <Suspense fallback={<FullPageMessage busy>Loading the board…</FullPageMessage>}>
                  <BoardPage />
                </Suspense>
              }
            />
            <Route path="/moderation" element={<ModerationPage />} />
            <Route
              path="/articles/:id"
              element={
                <Suspense fallback={<FullPageMessage busy>Opening article…</FullPageMessage>}>
                  <EditorPage />
                </Suspense>
              }
            />
          </Route>
          <Route path="*" element={<PageNotFound />} />
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}

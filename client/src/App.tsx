import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AuthProvider } from './features/auth/AuthContext.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { RequireAuth } from './features/auth/RequireAuth.tsx';
import { useCurrentUser } from './features/auth/AuthContext.tsx';
import { DeskPage } from './features/desk/DeskPage.tsx';
import { ErrorPage } from './components/ErrorPage.tsx';
import { FullPageMessage } from './components/FullPageMessage.tsx';
import { ModerationPage } from './features/comments/moderation/ModerationPage.tsx';
import { PeoplePage } from './features/people/PeoplePage.tsx';

// The editor (Tiptap, ProseMirror, Yjs) is most of the code: load it only when an article opens.
const EditorPage = lazy(() => import('./features/editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const BoardPage = lazy(() => import('./features/board/BoardPage.tsx').then((m) => ({ default: m.BoardPage })));

function PageNotFound() {
  return (
    <ErrorPage code={404} title="Page not found">
      There is nothing at this address.
    </ErrorPage>
  );
}

/** Readers never see the staff desk: their home is the public news pages (served by the server). */
function Home() {
  const user = useCurrentUser();
  const reader = user.role === 'reader';
  useEffect(() => {
    if (reader) window.location.replace('/news');
  }, [reader]);
  return reader ? <FullPageMessage busy>Opening the news…</FullPageMessage> : <DeskPage />;
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<RequireAuth />}>
            <Route path="/" element={<Home />} />
            <Route
              path="/board"
              element={
                <Suspense fallback={<FullPageMessage busy>Loading the board…</FullPageMessage>}>
                  <BoardPage />
                </Suspense>
              }
            />
            <Route path="/moderation" element={<ModerationPage />} />
            <Route path="/people" element={<PeoplePage />} />
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

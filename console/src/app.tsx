import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSessionKey } from './api/use-session.js';
import { Layout } from './components/layout.js';
import { SignInPage } from './pages/sign-in-page.js';

const OverviewPage = lazy(() => import('./pages/overview-page.js'));
const TasksPage = lazy(() => import('./pages/tasks-page.js'));
const TaskPage = lazy(() => import('./pages/task-page.js'));
const PlaygroundPage = lazy(() => import('./pages/playground-page.js'));
const GalleryPage = lazy(() => import('./pages/gallery-page.js'));
const ModelsPage = lazy(() => import('./pages/models-page.js'));
const CostPage = lazy(() => import('./pages/cost-page.js'));
const KeysPage = lazy(() => import('./pages/keys-page.js'));
const ComparisonsPage = lazy(() => import('./pages/comparisons-page.js'));
const FlowListPage = lazy(() => import('./pages/flows/flow-list-page.js'));
const FlowPage = lazy(() => import('./pages/flows/flow-page.js'));

/** The console's routes; every page but sign-in needs a session (with or without a key). */
export function App() {
  const key = useSessionKey();
  const location = useLocation();
  if (key === null && location.pathname !== '/sign-in') {
    return (
      <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
    );
  }
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<Layout />}>
        <Route index element={<Page element={<OverviewPage />} />} />
        <Route path="tasks" element={<Page element={<TasksPage />} />} />
        <Route path="tasks/:id" element={<Page element={<TaskPage />} />} />
        <Route path="playground" element={<Page element={<PlaygroundPage />} />} />
        <Route path="gallery" element={<Page element={<GalleryPage />} />} />
        <Route path="models" element={<Page element={<ModelsPage />} />} />
        <Route path="cost" element={<Page element={<CostPage />} />} />
        <Route path="comparisons" element={<Page element={<ComparisonsPage />} />} />
        <Route path="comparisons/:id" element={<Page element={<ComparisonsPage />} />} />
        <Route path="flows" element={<Page element={<FlowListPage />} />} />
        <Route path="flows/:name" element={<Page element={<FlowPage />} />} />
        <Route path="keys" element={<Page element={<KeysPage />} />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Page({ element }: { element: React.ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{element}</Suspense>;
}

function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>This page does not exist.</p>
    </>
  );
}

// The shell of the dashboard; its pages follow.
export function App() {
  return (
    <main id="main">
      <h1>Cascade</h1>
    </main>
  );
}

import Link from 'next/link';

export default function HomePage() {
  return (
    <main className="narrow stack">
      <h1>CollabStudy</h1>
      <p className="muted">
        Randomized studies that compare collaborative LLM assistants with baselines, with real participants and simulated users.
      </p>
      <div className="row">
        <Link className="btn btn-primary" href="/s/demo">
          Try the demo study
        </Link>
        <Link className="btn" href="/sign-in">
          Researcher sign-in
        </Link>
      </div>
    </main>
  );
}

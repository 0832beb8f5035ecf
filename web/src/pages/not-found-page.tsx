import { linkTo } from '../router.ts';

/** An address that names no page (mistyped, cut off, or with a broken %-escape). */
export function NotFoundPage({ address }: { address: string }) {
  return (
    <section className="narrow">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{address}</code>. The link may be mistyped or cut off.
      </p>
      <p>
        <a href={linkTo({ page: 'projects' })}>Go to the projects</a>
      </p>
    </section>
  );
}

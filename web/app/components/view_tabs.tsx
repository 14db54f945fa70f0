import { routeHref } from "../route.ts";

export interface ViewTab {
  /** What `current` is compared with. */
  key: string;
  title: string;
  /** The route the tab links to, e.g. ["necon", "leases"]. */
  path: string[];
}

/** A page's views as a row of links with the current one marked; every service page uses this one. */
export function ViewTabs(props: { label: string; tabs: ViewTab[]; current: string }) {
  return (
    <nav class="view-tabs" aria-label={props.label}>
      {props.tabs.map((tab) => (
        <a
          key={tab.key}
          href={routeHref(tab.path)}
          aria-current={tab.key === props.current ? "page" : undefined}
        >
          {tab.title}
        </a>
      ))}
    </nav>
  );
}

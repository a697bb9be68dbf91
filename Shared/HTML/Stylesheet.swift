import HTTP

/// The one stylesheet of every service's pages, served by each service at `Stylesheet.path`.
///
/// Plain CSS kept in the binary (no build step, nothing to deploy beside it): readable at a phone's
/// width (390 px) and on a counter's screen, a focus outline on everything reachable by keyboard,
/// deadline colours for the queues, and print rules for A4 slips.
public enum Stylesheet {
    /// Where pages link the stylesheet from.
    public static let path = "/assets/motcua.css"

    /// The stylesheet as sent: CSS, cacheable for an hour, `nosniff` so it is only ever CSS.
    public static func response() -> Response {
        Response(
            status: 200,
            headers: [
                "Content-Type": "text/css; charset=utf-8",
                "Cache-Control": "public, max-age=3600",
                "X-Content-Type-Options": "nosniff",
            ],
            body: Array(css.utf8))
    }

    /// The CSS text.
    public static let css = #"""
        /* MotCua — the shared stylesheet of every service's pages. Plain CSS, no build step. */

        :root {
            --text: #1b1f23;
            --muted: #535a61;
            --background: #ffffff;
            --surface: #f3f5f7;
            --border: #b1b8bf;
            --brand: #a1191e;          /* the red of the state's emblem, darkened for contrast */
            --brand-dark: #7a1216;
            --link: #0b4f8a;
            --focus: #ffbf47;
            --error: #b3261e;
            --on-time: #1e6b34;        /* deadline colours: green, amber, red */
            --due-soon: #8a5a00;
            --overdue: #b3261e;
            --waiting: #4b3fa3;        /* online submissions waiting for acceptance */
            --space: 1rem;
            --measure: 46rem;
        }

        *, *::before, *::after { box-sizing: border-box; }

        html { font-size: 100%; -webkit-text-size-adjust: 100%; }

        body {
            margin: 0;
            font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif;
            font-size: 1.0625rem;
            line-height: 1.5;
            color: var(--text);
            background: var(--background);
            display: flex;
            flex-direction: column;
            min-height: 100vh;
        }

        .wrap {
            width: 100%;
            max-width: var(--measure);
            margin: 0 auto;
            padding: 0 var(--space);
        }

        h1, h2, h3 { line-height: 1.25; margin: 0 0 0.75rem; }
        h1 { font-size: 1.75rem; margin-top: 1.5rem; }
        h2 { font-size: 1.3rem; }
        p { margin: 0 0 1rem; }

        a { color: var(--link); text-underline-offset: 0.15em; }
        a:hover { text-decoration-thickness: 2px; }

        /* Focus: a thick yellow outline with a dark edge, visible on every background. */
        :focus-visible {
            outline: 3px solid var(--focus);
            outline-offset: 0;
            box-shadow: 0 0 0 5px var(--text);
        }
        a:focus-visible {
            color: var(--text);
            background: var(--focus);
            outline: 3px solid transparent;     /* still shown in forced-colours mode */
            box-shadow: 0 -2px var(--focus), 0 4px var(--text);
            text-decoration: none;
        }
        main:focus { outline: none; box-shadow: none; }

        .visually-hidden {
            position: absolute !important;
            width: 1px; height: 1px;
            margin: -1px; padding: 0;
            overflow: hidden;
            clip: rect(0 0 0 0);
            white-space: nowrap;
            border: 0;
        }

        .skip-link {
            position: absolute;
            left: -9999px;
            top: 0;
            padding: 0.5rem 1rem;
            background: var(--focus);
            color: var(--text);
            font-weight: 700;
            z-index: 10;
        }
        .skip-link:focus { left: 0; }

        /* Header: the unit's name, the service, its navigation. */
        .site-header { background: var(--brand); color: #fff; }
        .site-header .wrap { padding-top: 0.75rem; padding-bottom: 0.5rem; }
        .site-unit { margin: 0; font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.03em; }
        .site-service { margin: 0; font-size: 1.25rem; font-weight: 700; }

        .site-nav { background: var(--brand-dark); }
        .site-nav ul {
            list-style: none;
            display: flex;
            flex-wrap: wrap;
            gap: 0 1.25rem;
            margin: 0 auto;
            padding-top: 0.25rem;
            padding-bottom: 0.25rem;
        }
        .site-nav a {
            display: inline-block;
            padding: 0.5rem 0;
            color: #fff;
            text-decoration: none;
            border-bottom: 3px solid transparent;
        }
        .site-nav a:hover { border-bottom-color: rgba(255, 255, 255, 0.6); }
        .site-nav a[aria-current="page"] { border-bottom-color: #fff; font-weight: 700; }
        .site-nav a:focus-visible { color: var(--text); background: var(--focus); }

        main { flex: 1 0 auto; padding-bottom: 2rem; }

        .site-footer {
            margin-top: 2rem;
            border-top: 1px solid var(--border);
            background: var(--surface);
            color: var(--muted);
            font-size: 0.9rem;
        }
        .site-footer .wrap { padding-top: 1rem; padding-bottom: 1rem; }
        .site-footer p { margin: 0; }

        /* Forms: label, hint, the server's message, then the control. */
        .form { max-width: 32rem; }
        .field { margin-bottom: 1.25rem; }
        .label { display: block; font-weight: 700; margin-bottom: 0.25rem; }
        .field-hint { color: var(--muted); margin: 0 0 0.25rem; }
        .field-error { color: var(--error); font-weight: 700; margin: 0 0 0.25rem; }
        .field--error {
            border-left: 4px solid var(--error);
            padding-left: 0.75rem;
        }

        .input, .textarea, .select {
            display: block;
            width: 100%;
            min-height: 2.75rem;           /* a finger-sized target */
            padding: 0.5rem 0.625rem;
            font: inherit;
            color: inherit;
            background: #fff;
            border: 2px solid var(--text);
            border-radius: 0;
        }
        .field--error .input, .field--error .textarea, .field--error .select { border-color: var(--error); }
        .input:focus, .textarea:focus, .select:focus {
            outline: 3px solid var(--focus);
            outline-offset: 0;
            box-shadow: inset 0 0 0 2px var(--text);
        }

        .form-actions { margin-top: 1.5rem; }
        .button {
            display: inline-block;
            min-height: 2.75rem;
            padding: 0.5rem 1.25rem;
            font: inherit;
            font-weight: 700;
            color: #fff;
            background: var(--brand);
            border: 0;
            border-bottom: 3px solid var(--brand-dark);
            cursor: pointer;
        }
        .button:hover { background: var(--brand-dark); }
        .button:focus-visible {
            color: var(--text);
            background: var(--focus);
            border-bottom-color: var(--text);
            box-shadow: none;
        }

        /* The list of problems at the top of a form the server refused. */
        .problem-summary {
            border: 4px solid var(--error);
            padding: 1rem;
            margin-bottom: 1.5rem;
        }
        .problem-summary h2 { font-size: 1.15rem; margin-bottom: 0.5rem; }
        .problem-summary ul { margin: 0; padding-left: 1.25rem; }
        .problem-summary a { color: var(--error); font-weight: 700; }

        /* Tables (queues, reports) scroll sideways on a phone instead of overflowing the page. */
        .table-scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
        th { background: var(--surface); }

        /* Deadline colours (my queue, dossier detail): text and a bar, never colour alone. */
        .deadline { font-weight: 700; padding-left: 0.5rem; border-left: 6px solid currentColor; }
        .deadline--on-time { color: var(--on-time); }
        .deadline--due-soon { color: var(--due-soon); }
        .deadline--overdue { color: var(--overdue); }

        /* Secondary buttons (filters, choosing a procedure), notices, panels of facts. */
        .button--secondary { color: var(--text); background: var(--surface); border: 2px solid var(--text); }
        .button--secondary:hover { background: #e1e5e9; }
        .muted { color: var(--muted); }
        .code { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: 0.95em; }
        .notice { border-left: 6px solid var(--link); background: var(--surface); padding: 0.75rem 1rem; margin: 0 0 1.5rem; }
        .notice p:last-child { margin-bottom: 0; }
        .notice--success { border-left-color: var(--on-time); background: #eaf4ed; }
        .notice--warning { border-left-color: var(--due-soon); background: #fdf4e3; }
        .notice--problem { border-left-color: var(--error); background: #fbeceb; }
        .notice h3 { font-size: 1.05rem; margin-bottom: 0.25rem; }
        .panel { border: 1px solid var(--border); border-top: 4px solid var(--brand); padding: 1rem; margin: 0 0 1.5rem; }
        .panel h2 { margin-bottom: 0.5rem; }
        .facts { margin: 0; }
        .facts > div { display: grid; grid-template-columns: minmax(8rem, 38%) 1fr; gap: 0 1rem; padding: 0.35rem 0; border-bottom: 1px solid #e1e5e9; }
        .facts > div:last-child { border-bottom: 0; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        .big-code { font-size: 1.5rem; font-weight: 700; letter-spacing: 0.02em; overflow-wrap: anywhere; }
        section { margin-bottom: 1.5rem; }

        /* A GET form of one choice and its button; the queue's filters side by side on a wide screen. */
        .form--inline { margin-bottom: 1.5rem; }
        .form--inline .form-actions { margin-top: 0; }
        .filters { display: grid; gap: 0 1rem; grid-template-columns: 1fr; margin-bottom: 1rem; }
        .filters .form-actions { margin-top: 0; margin-bottom: 1.25rem; align-self: end; }
        .filters-box { border: 1px solid var(--border); padding: 0.5rem 0.75rem; margin-bottom: 1rem; }
        .filters-box summary { cursor: pointer; font-weight: 700; min-height: 2rem; }
        .filters-box[open] summary { margin-bottom: 0.75rem; }
        .result { margin-top: 1.5rem; }
        .fieldset { border: 0; padding: 0; margin: 1.5rem 0 0; }
        .fieldset legend { font-size: 1.3rem; font-weight: 700; padding: 0; margin-bottom: 0.75rem; }
        .component { border-left: 3px solid var(--border); padding-left: 0.75rem; margin-bottom: 1rem; }

        /* My queue: one card per dossier, its colour bar and its words for the deadline. */
        .queue { list-style: none; margin: 0 0 1rem; padding: 0; }
        .queue-item { border: 1px solid var(--border); border-left: 8px solid var(--border); padding: 0.5rem 0.75rem; margin-bottom: 0.75rem; }
        .queue-item p { margin: 0 0 0.15rem; }
        .queue-code { font-weight: 700; overflow-wrap: anywhere; }
        .queue-meta { color: var(--muted); font-size: 0.95rem; }
        .queue-item--on-time { border-left-color: var(--on-time); }
        .queue-item--due-soon { border-left-color: var(--due-soon); background: #fffaf0; }
        .queue-item--overdue { border-left-color: var(--overdue); background: #fdf3f2; }
        .queue-item--waiting { border-left-color: var(--waiting); background: #f1f0fa; }
        .queue-item--late { border-left-style: double; }
        .queue-item--late .deadline { text-decoration: underline; }
        .deadline--waiting { color: var(--waiting); }
        .deadline--closed { color: var(--muted); }
        .pager { margin: 1rem 0; }

        /* A dossier: actions beside printed forms on a wide screen; each action a small form. */
        .columns { display: grid; gap: 0 2rem; grid-template-columns: 1fr; }
        .action { border: 1px solid var(--border); padding: 0.75rem 1rem; margin-bottom: 1rem; }
        .action h3 { font-size: 1.1rem; margin-bottom: 0.5rem; }
        .action .form-actions { margin-top: 0.5rem; }
        .links { padding-left: 1.25rem; }
        .links li { margin-bottom: 0.35rem; }
        .timeline { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 3px solid var(--border); }
        .timeline li { position: relative; margin-bottom: 1rem; }
        .timeline li::before { content: ""; position: absolute; left: -1.55rem; top: 0.35rem; width: 0.75rem; height: 0.75rem; background: var(--brand); border-radius: 50%; }
        .timeline p { margin: 0; }
        .timeline-when { color: var(--muted); font-size: 0.95rem; }
        .timeline-reason { font-style: italic; }
        .toolbar { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }

        /* Printed forms (TT 03/2025): on screen a sheet, on paper an A4 page with the form's own heading. */
        .document { border: 1px solid var(--border); background: #fff; padding: 1.25rem; font-family: "Noto Serif", "Times New Roman", serif; }
        .document p { margin: 0 0 0.4rem; }
        .document-head { display: grid; grid-template-columns: 1fr; gap: 0.75rem; text-align: center; margin-bottom: 1rem; }
        .document-head p { margin: 0; }
        .document-upper { text-transform: uppercase; }
        .document-motto { display: inline-block; border-bottom: 1px solid currentColor; padding-bottom: 0.1rem; }
        .document-date { margin-top: 0.5rem !important; }
        .document-form { text-align: right; font-size: 0.85rem; color: var(--muted); }
        .document-title { text-transform: uppercase; text-align: center; font-size: 1.2rem; margin: 0.5rem 0 0.25rem; font-family: inherit; }
        .document-code { text-align: center; margin-bottom: 1rem !important; overflow-wrap: anywhere; }
        .document-qr { margin: 0 auto 1rem; width: 10rem; text-align: center; }
        .document-qr img { display: block; width: 10rem; height: 10rem; image-rendering: pixelated; }
        .document-qr figcaption { font-size: 0.85rem; color: var(--muted); }
        .document-items { padding-left: 1.5rem; }
        .document-items > li { margin-bottom: 0.35rem; }
        .document-sublist { list-style: lower-alpha; padding-left: 1.25rem; }
        .document-note { font-size: 0.9rem; }
        .document-url { overflow-wrap: anywhere; }
        .document-quote { border-left: 3px solid var(--border); padding-left: 0.75rem; }
        .document-to { margin-top: 0.5rem !important; }
        .document-table th, .document-table td { border: 1px solid var(--text); font-size: 0.9rem; }
        .signatures { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 1rem; margin-top: 1.5rem; text-align: center; }
        .signature-name { margin-top: 4rem !important; font-weight: 700; }

        @media (min-width: 40rem) {
            .filters { grid-template-columns: 1fr 1fr 2fr auto; }
            .document-head { grid-template-columns: 1fr 1.3fr; }
            .document-qr { float: right; margin: 0 0 0.75rem 1rem; }
        }
        @media (min-width: 60rem) {
            .columns { grid-template-columns: 3fr 2fr; }
            .document--wide { margin: 0 calc(50% - 50vw + 2rem); }
        }

        @media (min-width: 48rem) {
            body { font-size: 1.125rem; }
            h1 { font-size: 2.125rem; }
        }

        /* Print: slips and receipts on A4, without the page's frame. */
        @media print {
            @page { size: A4; margin: 15mm; }
            @page wide { size: A4 landscape; margin: 12mm; }
            body { font-size: 12pt; color: #000; background: #fff; display: block; }
            .skip-link, .site-nav, .site-footer, .form-actions, .no-print { display: none !important; }
            .site-header { background: none; color: #000; border-bottom: 1pt solid #000; }
            .wrap { max-width: none; padding: 0; }
            a { color: #000; text-decoration: none; }
            h1 { font-size: 16pt; margin-top: 0.5rem; }
            table, tr, .slip { page-break-inside: avoid; }
            .deadline { color: #000; }
            /* A printed form carries its own heading: the page's frame and title stay on screen. */
            body:has(.document) .site-header, body:has(.document) main > h1 { display: none; }
            .document { border: 0; padding: 0; font-size: 13pt; line-height: 1.4; }
            .document-head { grid-template-columns: 1fr 1.3fr; }
            .document-qr { float: right; width: 32mm; margin: 0 0 4mm 6mm; }
            .document-qr img { width: 32mm; height: 32mm; }
            .document-form, .document-qr figcaption, .muted { color: #000; }
            .document-table { page-break-inside: auto; }
            .document-table tr { page-break-inside: avoid; }
            .document-table th { background: none; }
            .document--wide { margin: 0; page: wide; }
            .signatures { page-break-inside: avoid; }
        }
        """#
}

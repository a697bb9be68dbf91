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

        @media (min-width: 48rem) {
            body { font-size: 1.125rem; }
            h1 { font-size: 2.125rem; }
        }

        /* Print: slips and receipts on A4, without the page's frame. */
        @media print {
            @page { size: A4; margin: 15mm; }
            body { font-size: 12pt; color: #000; background: #fff; display: block; }
            .skip-link, .site-nav, .site-footer, .form-actions, .no-print { display: none !important; }
            .site-header { background: none; color: #000; border-bottom: 1pt solid #000; }
            .wrap { max-width: none; padding: 0; }
            a { color: #000; text-decoration: none; }
            h1 { font-size: 16pt; margin-top: 0.5rem; }
            table, tr, .slip { page-break-inside: avoid; }
            .deadline { color: #000; }
        }
        """#
}

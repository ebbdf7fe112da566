package dev.knot.cli;

/** Whether to use colours and progress bars: only for a human at a terminal. */
final class Terminal {
    private Terminal() {
    }

    static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    static boolean color(String mode) {
        switch (mode) {
            case "always": return true;
            case "never": return false;
            default: return interactive() && System.getenv("NO_COLOR") == null;
        }
    }
}

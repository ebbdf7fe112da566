package dev.knot.snapshot;

/** Input formats Knot reads. The names appear in output and docs. */
public enum DumpFormat {
    /** jstack / jcmd Thread.print / kill -3 text (HotSpot, JDK 8 to 25). */
    JSTACK("jstack text"),
    /** jcmd Thread.dump_to_file -format=json (JDK 21+). */
    JCMD_JSON("jcmd Thread.dump_to_file JSON"),
    /** jcmd Thread.dump_to_file plain text (JDK 21+). */
    JCMD_TEXT("jcmd Thread.dump_to_file text"),
    /** Spring Boot actuator /threaddump JSON (ThreadInfo objects). */
    ACTUATOR_JSON("Spring Boot actuator JSON"),
    /** Spring Boot actuator /threaddump text/plain and ThreadInfo.toString() output. */
    THREADINFO_TEXT("ThreadInfo text"),
    /** A snapshot taken inside the JVM by Knot itself. */
    LIVE("live snapshot");

    private final String displayName;

    DumpFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}

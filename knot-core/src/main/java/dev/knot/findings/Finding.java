package dev.knot.findings;

import java.util.List;

/**
 * One explained problem.
 *
 * @param kind      what kind of problem
 * @param certainty certain only when every edge is printed in the input
 * @param threads   the threads that are stuck (the members of the cycle, the starved workers …), in order
 * @param summary   one line
 * @param story     who holds what (acquired where), who waits for what (at which line): one line per fact
 * @param why       why it cannot resolve by itself
 * @param fix       what to change
 * @param missing   evidence the input lacks for certainty, and how to get it; empty when certain
 * @param blocked   other threads stuck behind this problem (not part of it)
 * @param edges     the facts the finding rests on: who waits for or holds what, with the input's lines
 */
public record Finding(Kind kind, Certainty certainty, List<String> threads, String summary, List<String> story,
                      String why, String fix, List<String> missing, List<String> blocked, List<Evidence> edges) {

    public Finding {
        threads = List.copyOf(threads);
        story = List.copyOf(story);
        missing = List.copyOf(missing);
        blocked = List.copyOf(blocked);
        edges = List.copyOf(edges);
    }
}

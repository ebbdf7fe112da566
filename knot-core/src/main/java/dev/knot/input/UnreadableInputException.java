package dev.knot.input;

/**
 * The input cannot be analysed at all. The message is one line naming the input and the problem,
 * suitable for printing to the user as is.
 */
public final class UnreadableInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnreadableInputException(String source, String problem) {
        super(source + ": " + problem);
    }
}

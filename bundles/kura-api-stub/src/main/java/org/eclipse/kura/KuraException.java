package org.eclipse.kura;

import java.util.Arrays;

/**
 * Stand-in for Kura's checked exception: an error code, an optional cause and optional
 * message arguments.
 */
public class KuraException extends Exception {

    private static final long serialVersionUID = 1L;

    private final KuraErrorCode code;
    private final transient Object[] arguments;

    public KuraException(KuraErrorCode code) {
        this(code, null, (Object[]) null);
    }

    public KuraException(KuraErrorCode code, Object... arguments) {
        this(code, null, arguments);
    }

    public KuraException(KuraErrorCode code, Throwable cause, Object... arguments) {
        super(cause);
        this.code = code;
        this.arguments = arguments == null ? new Object[0] : arguments.clone();
    }

    public KuraErrorCode getCode() {
        return this.code;
    }

    @Override
    public String getMessage() {
        return this.arguments.length == 0 ? String.valueOf(this.code)
                : this.code + ": " + Arrays.toString(this.arguments);
    }
}

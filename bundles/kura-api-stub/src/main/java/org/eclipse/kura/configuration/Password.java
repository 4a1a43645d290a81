package org.eclipse.kura.configuration;

/**
 * A password as Kura's configuration model holds it.
 */
public class Password {

    private final char[] password;

    public Password(String password) {
        this.password = password == null ? new char[0] : password.toCharArray();
    }

    public Password(char[] password) {
        this.password = password == null ? new char[0] : password.clone();
    }

    public char[] getPassword() {
        return this.password.clone();
    }

    @Override
    public String toString() {
        return new String(this.password);
    }
}

package dev.frontdesk.sms.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .env} file: {@code KEY=value} lines, {@code #} comments, blank lines, an optional
 * {@code export } prefix, values in single quotes (taken literally) or double quotes (with {@code \n},
 * {@code \"} and {@code \\} escapes), and {@code #} comments after unquoted values. Stateless and
 * thread-safe.
 */
final class DotEnv {
    private DotEnv() {
    }

    /** The variables {@code text} defines, in file order; a later line wins over an earlier one. */
    static Map<String, String> parse(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n|\r")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue; // not an assignment; ignored like the shell's dotenv tools do
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("'") && value.indexOf('\'', 1) > 0) {
                value = value.substring(1, value.indexOf('\'', 1));
            } else if (value.length() >= 2 && value.startsWith("\"") && closingQuote(value) > 0) {
                value = unescape(value.substring(1, closingQuote(value)));
            } else {
                int comment = value.indexOf(" #");
                value = (comment >= 0 ? value.substring(0, comment) : value).strip();
            }
            vars.put(key, value);
        }
        return vars;
    }

    /** The file's variables, or none when it does not exist. @throws UncheckedIOException when it cannot be read */
    static Map<String, String> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code file} overlaid with {@code env}: a variable set in the real environment wins over the file. */
    static Map<String, String> merge(Map<String, String> file, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(env);
        return merged;
    }

    private static int closingQuote(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

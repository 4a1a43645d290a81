package io.opcscraper.opcua.internal.discovery;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Include and exclude globs on browse paths ({@code Plant/Line01/Machine03/Temperature}):
 * {@code *} matches within one path element, {@code **} across elements, {@code ?} one character.
 * A path is collected when it matches an include pattern and no exclude pattern.
 */
final class PathFilter {

    private final List<Pattern> includes;
    private final List<Pattern> excludes;

    PathFilter(List<String> includes, List<String> excludes) {
        this.includes = includes.stream().map(PathFilter::compile).collect(Collectors.toList());
        this.excludes = excludes.stream().map(PathFilter::compile).collect(Collectors.toList());
    }

    boolean accepts(String path) {
        return this.includes.stream().anyMatch(p -> p.matcher(path).matches())
                && this.excludes.stream().noneMatch(p -> p.matcher(path).matches());
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                regex.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}

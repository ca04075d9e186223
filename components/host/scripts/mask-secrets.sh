# openvidu-ha mask-secrets: a shared helper, not a script of its own. Where a node script has the line
# "# openvidu-ha:include mask-secrets.sh", the program puts this file in its place (components/host/host-scripts.ts).
#
# mask_secrets <args-file> [<known-file>]: copies stdin to stdout, line by line, with every secret value replaced by
# [secret]. The values: those of the "S --flag=value" lines of <args-file> (install.sh's stdin format), and each line
# of <known-file> of 4 characters or more (values known to be secret). They come from root-only files, never from
# arguments. Left to right, the longest value first where several start, and never inside a replacement: no value
# leaks in part, and values that occur in "[secret]" cannot loop.
mask_secrets() {
    # mawk (Ubuntu's awk) reads a pipe in blocks: without -W interactive it masks and writes nothing until the writer
    # closes the pipe, and a masker stopped early (a process left holding the pipe) would lose the whole log.
    mask_awk_mode=""
    case $(awk -W version 2>&1 | head -n 1) in mawk*) mask_awk_mode=interactive ;; esac
    awk ${mask_awk_mode:+-W "$mask_awk_mode"} -v args_file="$1" -v known_file="${2:-}" '
        BEGIN {
            while ((getline l < args_file) > 0)
                if (substr(l, 1, 2) == "S " && (e = index(l, "=")) > 0 && e < length(l)) secret[++n] = substr(l, e + 1)
            if (known_file != "")
                while ((getline l < known_file) > 0)
                    if (length(l) >= 4) secret[++n] = l
        }
        {
            rest = $0; out = ""
            for (;;) {
                at = 0; len = 0
                for (i = 1; i <= n; i++) {
                    p = index(rest, secret[i])
                    if (p > 0 && (at == 0 || p < at || (p == at && length(secret[i]) > len))) { at = p; len = length(secret[i]) }
                }
                if (at == 0) break
                out = out substr(rest, 1, at - 1) "[secret]"
                rest = substr(rest, at + len)
            }
            print out rest
            fflush()
        }'
}

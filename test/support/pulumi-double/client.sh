# shellcheck shell=bash
# The pulumi double's executable (sourced by <root>/bin/pulumi, which sets $port): hands this process's working
# directory, arguments and exported environment to the double in the test process (pulumi-double.js) over a
# loopback socket, sends this process's stdin when the command reads it, prints the answer's stdout and stderr and
# exits with its code. Fields are NUL-terminated: cwd, argc, each argument, NAME=value per variable, then "".
exec 3<>"/dev/tcp/127.0.0.1/${port:?}" || exit 255
{
    printf '%s\0' "$(pwd -P)" "$#" "$@"
    for name in $(compgen -e); do
        printf '%s=%s\0' "$name" "${!name}"
    done
    printf '\0'
} >&3
while IFS= read -r -d '' kind <&3; do
    case $kind in
        stdin) { cat; printf '\0'; } >&3 ;;
        out) IFS= read -r -d '' text <&3 && printf '%s' "$text" ;;
        err) IFS= read -r -d '' text <&3 && printf '%s' "$text" >&2 ;;
        exit) IFS= read -r -d '' code <&3 && exit "$code" ;;
    esac
done
echo "error: the pulumi double closed the connection without an exit code" >&2
exit 255

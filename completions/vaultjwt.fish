# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vaultjwt_global_optspecs
    string join \n data-dir= h/help V/version
end

function __fish_vaultjwt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vaultjwt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vaultjwt_using_subcommand
    set -l cmd (__fish_vaultjwt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -s V -l version -d 'Print version'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "read" -d 'Read data at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "write" -d 'Write data to a path (key=value, key=@file, key=-, or - for a JSON body on stdin)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "list" -d 'List the keys at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "delete" -d 'Delete data at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "auth" -d 'Enable, disable and list auth methods'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -s f -l force -d 'Allow a write with no data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list" -f -a "enable" -d 'Enable an auth method (jwt or oidc)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list" -f -a "disable" -d 'Disable an auth method and remove its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list" -f -a "list" -d 'List enabled auth methods'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l path -d 'Mount path (default: the type)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l default-lease-ttl -d 'Default lease TTL of tokens issued by this mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l max-lease-ttl -d 'Maximum lease TTL of tokens issued by this mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l detailed -d 'Show more details'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -s h -l help -d 'Print help'

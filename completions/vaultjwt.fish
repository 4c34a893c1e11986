# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vaultjwt_global_optspecs
    string join \n data-dir= address= namespace= ca-cert= ca-path= client-cert= client-key= tls-skip-verify= client-timeout= output-curl-string= wrap-ttl= h/help V/version
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
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -s V -l version -d 'Print version'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "read" -d 'Read data at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "write" -d 'Write data to a path (key=value, key=@file, key=-, or - for a JSON body on stdin)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "list" -d 'List the keys at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "delete" -d 'Delete data at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "path-help" -d 'Print the help of a path: its parameters and what it does (Vault\'s path-help)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "auth" -d 'Enable, disable and list auth methods'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "policy" -d 'Manage ACL policies (write, read, list, delete, fmt)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "token" -d 'Create, look up, renew, revoke tokens and list their capabilities'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "login" -d 'Authenticate: store a token (or one from `-method=jwt`) in the token helper'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "jwt" -d 'Tokens themselves: decode, explain, keygen, sign'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "dev" -d 'Development tools: a loopback OIDC issuer'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "print" -d 'Print a value of the CLI\'s configuration: `print token`, the token requests are made with'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "pull" -d 'Copy a server\'s JWT mounts, configs, roles, the policies they name and external groups into the data directory'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "plan" -d 'Show what apply would change on the server to make it match the local state'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "apply" -d 'Make the server match the local state: policies, mounts, config, roles, groups'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "demo" -d 'The whole JWT login story in one command, in a throwaway data directory'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "secrets" -d 'Enable, disable and list secret engines'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "kv" -d 'Read and write secrets in a KV secret engine (versions 1 and 2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -s f -l force -d 'Allow a write with no data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -f -a "enable" -d 'Enable an auth method (jwt or oidc)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -f -a "disable" -d 'Disable an auth method and remove its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -f -a "list" -d 'List enabled auth methods'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list move" -f -a "move" -d 'Move an auth method to a new path (auth/SOURCE auth/DESTINATION); its tokens are revoked'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l path -d 'Mount path (default: the type)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l default-lease-ttl -d 'Default lease TTL of tokens issued by this mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l max-lease-ttl -d 'Maximum lease TTL of tokens issued by this mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l detailed -d 'Show more details'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "write" -d 'Upload a policy from a file, or from stdin with `-`'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "read" -d 'Print a policy\'s rules'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "list" -d 'List the policies'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "delete" -d 'Delete a policy'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "fmt" -d 'Check and reformat a policy file in place'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "create" -d 'Create a token'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "lookup" -d 'Show a token\'s properties (the current token when none is given)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "renew" -d 'Renew a token (the current token when none is given)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "revoke" -d 'Revoke a token and its children'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "capabilities" -d 'List a token\'s capabilities on a path'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l policy -d 'A policy of the token (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l ttl -d 'Initial TTL' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l explicit-max-ttl -d 'Explicit maximum lifetime' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l period -d 'Renewal period (periodic token)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l use-limit -d 'Number of uses before the token is revoked (0 = unlimited)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l orphan -d 'Create the token with no parent' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l no-default-policy -d 'Do not attach the default policy' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l type -d 'service or batch' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l display-name -d 'Display name (shown as token-<name>)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l metadata -d 'Metadata key=value (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l renewable -d 'Whether the token can be renewed' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l id -d 'Custom token value (root only)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l role -d 'Token role (not supported by vaultjwt)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l accessor -d 'Treat the argument as an accessor' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -s i -l increment -d 'Requested TTL from now' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l accessor -d 'Treat the argument as an accessor' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l accessor -d 'Treat the argument as an accessor' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l self -d 'Revoke the current token' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l mode -d 'orphan: keep the children (as orphans)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l method -d 'Auth method: token (default) or jwt' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l path -d 'Mount path of the auth method (default: the method name)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l no-store -d 'Do not store the token in the token helper' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l token-only -d 'Print only the token (implies -no-store)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l no-print -d 'Print nothing on success' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l jwt -d 'The JWT to log in with (implies -method=jwt); @FILE reads it from a file, - from stdin' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l role -d 'The role to log in with (with -jwt)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "decode" -d 'Print a token\'s header and claims (nothing is verified)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "keygen" -d 'Generate a signing key: private key PEM (0600), public key PEM and JWKS'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "sign" -d 'Sign a test token (claims from flags, a JSON file or a preset)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "explain" -d 'Run every check login runs for a role and a token, and show what login would issue (creates nothing; exit 0 when login would succeed, 2 when it would fail)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l format -d 'Output format: table (default), json or yaml' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l alg -d 'RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l kid -d 'Key ID written to the JWKS (default: the key\'s RFC 7638 thumbprint)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l out -d 'Output prefix: writes PREFIX.private.pem, PREFIX.public.pem and PREFIX.jwks.json (default: jwt-<alg>; a directory gets jwt-<alg> inside it)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l bits -d 'RSA modulus size in bits (2048 to 4096)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l force -d 'Replace existing files' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l key -d 'Private key PEM to sign with: @FILE (or FILE, or - for stdin)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l issuer -d 'Sign with the dev issuer\'s key (see `vaultjwt dev issuer`) and set `iss` to its URL' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l alg -d 'Signing algorithm (default: RS256 for RSA keys, ES256/384/512 by curve, EdDSA)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l kid -d '`kid` header (default: the key\'s RFC 7638 thumbprint; -kid= for none)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l claim -d 'A claim, key=value (repeatable); the value is JSON when it parses, else a string; a key starting with / is a JSON pointer into nested claims' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l claims -d 'Claims from a JSON object: @FILE (or - for stdin)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l header -d 'A header parameter, key=value (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l exp -d 'Expiry: now, +DURATION, -DURATION, an epoch, RFC 3339, or none (default: +1h)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l iat -d 'Issued at (default: now)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l nbf -d 'Not before (default: none, or the preset\'s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l preset -d 'Start from a realistic claim set: github-actions, gitlab or kubernetes' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l path -d 'Mount path of the jwt auth method' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -f -a "issuer" -d 'Serve OIDC discovery and a JWKS on loopback from keys in the data directory'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l listen -d 'Loopback address to listen on (127.0.0.1:PORT or [::1]:PORT; port 0 picks one)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-id -d 'OIDC client id the issuer accepts at its token endpoint' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-secret -d 'OIDC client secret (default: one generated and kept in the data directory)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l path -d 'Only this mount (repeatable; default: every jwt mount)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l home -d 'Pull into this data directory instead (created when missing)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l force -d 'Replace the JWT mounts, policies and groups the data directory already holds' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l path -d 'Only this mount (repeatable; default: every local jwt mount)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l prune -d 'Also delete what the server has and the local state does not' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l path -d 'Only this mount (repeatable; default: every local jwt mount)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l prune -d 'Also delete what the server has and the local state does not' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l auto-approve -d 'Apply without asking for confirmation (needed when not on a terminal)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l keep -d 'Keep the throwaway data directory' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "enable" -d 'Enable a secret engine (kv, kv-v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "disable" -d 'Disable a secret engine and remove its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "list" -d 'List enabled secret engines'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "tune" -d 'Tune a secret engine\'s lease TTLs and description'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "move" -d 'Move a secret engine to a new path, with its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l path -d 'Mount path (default: the type)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l version -d 'KV version (1 or 2); same as -options=version=N' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l default-lease-ttl -d 'Default lease TTL of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l max-lease-ttl -d 'Maximum lease TTL of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l options -d 'Mount option key=value (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l detailed -d 'Show more details'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l default-lease-ttl -d 'Default lease TTL (a duration; "system" or -1 resets it)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l max-lease-ttl -d 'Maximum lease TTL (a duration; "system" or -1 resets it)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "put" -d 'Write a secret (a new version on KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "get" -d 'Read a secret'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "patch" -d 'Update some keys of the latest version (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "delete" -d 'Delete a secret (KV v2: soft-delete the latest version or -versions)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "undelete" -d 'Restore soft-deleted versions (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "destroy" -d 'Permanently remove versions (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "list" -d 'List the keys at a path'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "metadata" -d 'Read and write a key\'s metadata and settings (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l cas -d 'Check-and-set: the current version (0 = only if the key does not exist)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l version -d 'The version to read (KV v2)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l cas -d 'Check-and-set: the current version' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l method -d 'patch (HTTP PATCH only) or rw (read, then write)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l remove-data -d 'A key to remove (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l versions -d 'Versions to delete (comma-separated or repeated)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l versions -d 'Versions to restore (comma-separated or repeated)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l versions -d 'Versions to destroy (comma-separated or repeated)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "get" -d 'Show a key\'s metadata and versions'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "put" -d 'Create a key or change its settings'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "delete" -d 'Delete a key, all its versions and metadata'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "patch" -d 'Change some of a key\'s settings and custom metadata, keeping the rest'

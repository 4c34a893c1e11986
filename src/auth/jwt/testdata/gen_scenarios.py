"""Builds src/auth/jwt/testdata/scenarios.json from the public conformance scenarios and bao's
recordings: role writes, config writes and logins with the recorded outcome."""
import json, glob, os, re, sys
SC = '/work/shared/conformance/scenarios/public'
EX = '/work/shared/conformance/expected/public'
ISS = 'https://issuer.test/'

def subst(v, name):
    if isinstance(v, str):
        return v.replace('{ISSUER}', ISS + name).replace('{MOUNT}', 'jwt-' + name)
    if isinstance(v, list):
        return [subst(x, name) for x in v]
    if isinstance(v, dict):
        return {k: subst(x, name) for k, x in v.items()}
    return v

def cli_params(params):
    out = {}
    for k, v in params.items():
        if isinstance(v, list):
            out[k] = [str(x) for x in v] if len(v) != 1 else str(v[0])
        elif isinstance(v, dict):
            out[k] = json.dumps(v)
        else:
            out[k] = str(v)
    return out

def error_of(rec):
    if rec['exit'] == 'ok':
        return None
    lines = [l[2:] for l in rec.get('stderr', []) if l.startswith('* ')]
    return '; '.join(lines) if lines else 'error'

cases = []
for f in sorted(glob.glob(SC + '/*.json')):
    name = os.path.basename(f)[:-5]
    sc = json.load(open(f))
    ex = json.load(open(os.path.join(EX, name + '.json')))
    ops = []
    ok = True
    for i, step in enumerate(sc['steps']):
        rec = ex['steps'][i]
        if not isinstance(step, dict):
            step = {'argv': step}
        do = step.get('do')
        err = error_of(rec)
        if do == 'config':
            ops.append({'op': 'config', 'data': subst(cli_params(step['params']), name), 'ok': err is None})
        elif do == 'role':
            ops.append({'op': 'role', 'name': step['name'], 'data': subst(cli_params(step['params']), name), 'error': err})
        elif do == 'write_json' and '/role/' in step['path']:
            ops.append({'op': 'role', 'name': step['path'].split('/role/')[1], 'data': subst(step['body'], name), 'error': err})
        elif do == 'login':
            tok = sc['tokens'][step['jwt']]
            if 'claims' not in tok or tok.get('tamper') or tok.get('key') not in sc.get('keys', {}):
                continue
            claims = subst(tok['claims'], name)
            for k in ('exp', 'nbf', 'iat', 'auth_time'):
                if isinstance(claims.get(k), str) and re.fullmatch(r'[+-]\d+', claims[k]):
                    claims[k] = {'rel': int(claims[k])}
            md = None
            if err is None and isinstance(rec.get('stdout'), dict):
                md = rec['stdout'].get('auth', {}).get('metadata')
            ops.append({'op': 'login', 'role': step.get('role'), 'claims': claims, 'error': err, 'metadata': md})
        elif do == 'delete_role':
            ops.append({'op': 'delete', 'name': step['name']})
        elif 'argv' in step:
            argv = step['argv']
            if len(argv) >= 2 and argv[0] == 'write' and '/role/' in argv[1] and '-' not in argv[2:]:
                data = {}
                for a in argv[2:]:
                    if '=' in a and not a.startswith('-'):
                        k, v = a.split('=', 1)
                        if k in data:
                            data[k] = data[k] if isinstance(data[k], list) else [data[k]]
                            data[k].append(v)
                        else:
                            data[k] = v
                ops.append({'op': 'role', 'name': argv[1].split('/role/')[1], 'data': subst(data, name), 'error': err})
            elif len(argv) >= 2 and argv[0] == 'write' and argv[1].endswith('/config'):
                data = {}
                for a in argv[2:]:
                    if '=' in a:
                        k, v = a.split('=', 1)
                        data[k] = v
                ops.append({'op': 'config', 'data': subst(data, name), 'ok': err is None})
    if any(o['op'] == 'login' or o['op'] == 'role' for o in ops):
        cases.append({'scenario': name, 'ops': ops})
json.dump(cases, open(sys.argv[1], 'w'), indent=1)
print(len(cases), sum(len(c['ops']) for c in cases))

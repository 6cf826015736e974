//! Unit tests of the CLI client: command building, answer judging, and the
//! parsers on text written from HAProxy's management guide (section 9).

use super::*;
use tokio::net::UnixListener;

/// The static `show stat` columns of management guide 9.1, in order, then
/// the `-` separator and a few later fields (which may move).
const STAT_HEADER: &str = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,\
econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,\
sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,\
hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,\
cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,\
rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,-,ssl_sess";

/// A row with `fields` set by name, every other column empty.
fn stat_line(fields: &[(&str, &str)]) -> String {
    let names: Vec<&str> = STAT_HEADER.trim_start_matches("# ").split(',').collect();
    names
        .iter()
        .map(|n| {
            let v = fields
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| *v)
                .unwrap_or("");
            if v.contains(',') || v.contains('"') {
                format!("\"{}\"", v.replace('"', "\"\""))
            } else {
                v.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn show_stat_rows_are_read_by_column_name() {
    let text = format!(
        "{STAT_HEADER}\n{}\n{}\n{}\n{}\n\n",
        stat_line(&[
            ("pxname", "web"),
            ("svname", "FRONTEND"),
            ("status", "OPEN"),
            ("type", "0"),
            ("stot", "42")
        ]),
        stat_line(&[
            ("pxname", "web"),
            ("svname", "s1"),
            ("status", "UP"),
            ("weight", "3"),
            ("check_status", "L7OK"),
            ("check_code", "200"),
            ("check_desc", "Layer7 check passed"),
            ("last_chk", "OK"),
            ("lastchg", "17"),
            ("type", "2"),
            ("scur", "1"),
        ]),
        stat_line(&[
            ("pxname", "web"),
            ("svname", "s2"),
            ("status", "DOWN"),
            ("weight", "1"),
            ("check_status", "* L4CON"),
            ("check_desc", "Layer4 connection problem, \"refused\""),
            ("type", "2"),
        ]),
        stat_line(&[
            ("pxname", "web"),
            ("svname", "BACKEND"),
            ("status", "UP"),
            ("type", "1")
        ]),
    );
    let rows = parse_show_stat(&text).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].server, "FRONTEND");
    assert_eq!(rows[0].sessions_total, Some(42));
    let s1 = &rows[1];
    assert_eq!(
        (s1.proxy.as_str(), s1.server.as_str(), s1.status.as_str()),
        ("web", "s1", "UP")
    );
    assert_eq!(s1.weight, Some(3));
    assert_eq!(s1.check_status.as_deref(), Some("L7OK"));
    assert_eq!(s1.check_code.as_deref(), Some("200"));
    assert_eq!(s1.check_desc.as_deref(), Some("Layer7 check passed"));
    assert_eq!(s1.last_change_secs, Some(17));
    assert_eq!(s1.kind, Some(2));
    let s2 = &rows[2];
    assert_eq!(s2.check_status.as_deref(), Some("* L4CON"));
    assert_eq!(
        s2.check_desc.as_deref(),
        Some("Layer4 connection problem, \"refused\"")
    );
    assert_eq!(s2.check_code, None);
}

#[test]
fn show_stat_tolerates_missing_and_extra_columns() {
    let rows = parse_show_stat("# svname,pxname,new_field\ns1,web,x\nshort\n").unwrap_err();
    assert_eq!(rows.kind(), ErrorKind::InvalidResponse);
    let rows = parse_show_stat("# svname,pxname,new_field\ns1,web,x\n").unwrap();
    assert_eq!(
        (rows[0].proxy.as_str(), rows[0].status.as_str()),
        ("web", "")
    );
    for bad in ["", "web,s1,UP\n", "# status,weight\nUP,1\n"] {
        assert_eq!(
            parse_show_stat(bad).unwrap_err().kind(),
            ErrorKind::InvalidResponse,
            "{bad:?}"
        );
    }
}

/// The example of `show proc` in management guide 9.4.1.
const SHOW_PROC: &str = "#<PID>          <type>          <reloads>       <uptime>        <version>
1162            master          5 [failed: 0]   0d00h02m07s     2.5-dev13
# workers
1271            worker          1               0d00h00m00s     2.5-dev13
# old workers
1233            worker          3               0d00h00m43s     2.0-dev3-6019f6-289
# programs
1244            foo             0               0d00h00m00s     -
1255            bar             0               0d00h00m00s     -
";

#[test]
fn show_proc_splits_master_workers_old_workers_and_programs() {
    let procs = parse_show_proc(SHOW_PROC).unwrap();
    let master = procs.master.as_ref().unwrap();
    assert_eq!(
        (master.pid, master.reloads, master.uptime.as_str()),
        (1162, 5, "0d00h02m07s")
    );
    assert_eq!(procs.failed_reloads, Some(0));
    assert_eq!(procs.workers.len(), 1);
    assert_eq!((procs.workers[0].pid, procs.workers[0].reloads), (1271, 1));
    assert_eq!(procs.workers[0].version, "2.5-dev13");
    assert_eq!(procs.old_workers[0].pid, 1233);
    let programs: Vec<&str> = procs.programs.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(programs, ["foo", "bar"]);
}

#[test]
fn show_proc_refuses_what_is_not_a_process_list() {
    for bad in [
        "",
        "Unknown command.\n",
        "#<PID> <type>\nabc master 0\n",
        "#<PID>\n12 worker x\n",
    ] {
        assert_eq!(
            parse_show_proc(bad).unwrap_err().kind(),
            ErrorKind::InvalidResponse,
            "{bad:?}"
        );
    }
}

#[test]
fn servers_state_reads_version_1_by_header() {
    let text = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state \
srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result \
srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port\n\
3 web 1 s1 127.0.0.1 2 8 3 3 28 6 3 4 6 0 0 0 - 9001\n\
3 web 2 s2 ::1 0 1 1 1 5 8 2 0 6 0 0 0 - 9002\n";
    let rows = parse_servers_state(text).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].server, "s1");
    assert_eq!(
        (rows[0].op_state, rows[0].admin_state, rows[0].weight),
        (2, 8, 3)
    );
    assert_eq!(rows[0].port, Some(9001));
    assert_eq!((rows[1].addr.as_str(), rows[1].admin_state), ("::1", 1));
    for bad in [
        "",
        "2\n# be_name\n",
        "1\nno header\n",
        "1\n# be_name srv_name\nweb s1\n",
    ] {
        assert_eq!(
            parse_servers_state(bad).unwrap_err().kind(),
            ErrorKind::InvalidResponse,
            "{bad:?}"
        );
    }
}

#[test]
fn commands_are_single_lines_of_validated_words() {
    let ip: IpAddr = "127.0.0.1".parse().unwrap();
    let add = Command::add_server("web", "s1", ip, 9001, 3, &["check", "inter", "300ms"]).unwrap();
    assert_eq!(
        add.as_str(),
        "add server web/s1 127.0.0.1:9001 weight 3 check inter 300ms"
    );
    let v6 = Command::add_server("web", "s2", "::1".parse().unwrap(), 80, 1, &[]).unwrap();
    assert_eq!(v6.as_str(), "add server web/s2 [::1]:80 weight 1");
    assert_eq!(
        Command::set_state("web", "s1", AdminState::Drain)
            .unwrap()
            .as_str(),
        "set server web/s1 state drain"
    );
    assert_eq!(
        Command::del_server("web", "s1").unwrap().as_str(),
        "del server web/s1"
    );
    assert_eq!(
        Command::enable_health("web", "s1").unwrap().as_str(),
        "enable health web/s1"
    );
    assert_eq!(
        Command::show_servers_state(Some("web")).unwrap().as_str(),
        "show servers state web"
    );

    let bad = [
        Command::add_server(
            "web",
            "s1",
            ip,
            9001,
            3,
            &["check; shutdown sessions server web/s2"],
        )
        .err(),
        Command::add_server("web", "s1", ip, 0, 3, &[]).err(),
        Command::del_server("web\n", "s1").err(),
        Command::set_weight("web", "s1", 257).err(),
        Command::enable_server("web", "s 1").err(),
        Command::show_servers_state(Some("a;b")).err(),
    ];
    for (i, err) in bad.into_iter().enumerate() {
        let err = err.unwrap_or_else(|| panic!("case {i} was accepted"));
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "case {i}");
    }
}

#[test]
fn answers_are_judged_per_command() {
    let del = Command::del_server("web", "s1").unwrap();
    assert!(judge(&del, "Server deleted.\n\n".into()).is_ok());
    let err = judge(
        &del,
        "Only servers in maintenance mode can be deleted.\n".into(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Provider);
    assert!(err.message().contains("maintenance mode"), "{err}");

    let set = Command::set_state("web", "nope", AdminState::Maint).unwrap();
    assert!(judge(&set, "\n".into()).is_ok());
    assert_eq!(
        judge(&set, "No such server.\n\n".into())
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    let add = Command::add_server("web", "s1", "10.0.0.1".parse().unwrap(), 80, 1, &[]).unwrap();
    let err = judge(
        &add,
        "Already exists a server with the same name in backend.\n".into(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert_eq!(
        judge(&add, "\n".into()).unwrap_err().kind(),
        ErrorKind::Provider
    );

    assert!(judge(&Command::show_stat(), "# pxname,svname\n".into()).is_ok());
    assert_eq!(
        judge(&Command::show_stat(), "Permission denied\n".into())
            .unwrap_err()
            .kind(),
        ErrorKind::PermissionDenied
    );
    let err = judge(&set, "bad\u{1b}[31m\nanswer".into()).unwrap_err();
    assert!(!err.message().contains('\u{1b}'), "{err}");
}

fn socket_path(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lbcloud-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("cli.sock")
}

/// A one-shot socket server that records the line it got and answers
/// `answer` (then closes), or holds the connection open when `None`.
async fn serve_once(path: &Path, answer: Option<Vec<u8>>) -> tokio::task::JoinHandle<String> {
    let listener = UnixListener::bind(path).unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = stream.read(&mut buf).await.unwrap();
        let got = String::from_utf8_lossy(&buf[..n]).into_owned();
        match answer {
            Some(bytes) => {
                let _ = stream.write_all(&bytes).await;
            }
            None => tokio::time::sleep(Duration::from_secs(5)).await,
        }
        got
    })
}

#[tokio::test]
async fn run_prefixes_the_target_and_ends_with_quit() {
    let path = socket_path("prefix");
    let server = serve_once(&path, Some(b"\n".to_vec())).await;
    let cli = Cli::new(&path);
    cli.run(
        Target::Pid(4242),
        &Command::enable_server("web", "s1").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(server.await.unwrap(), "@!4242 enable server web/s1; quit\n");

    let _ = std::fs::remove_file(&path);
    let server = serve_once(&path, Some(Vec::new())).await;
    cli.run(Target::Master, &Command::reload()).await.unwrap();
    assert_eq!(server.await.unwrap(), "reload\n");

    let _ = std::fs::remove_file(&path);
    let server = serve_once(&path, Some(b"\n".to_vec())).await;
    cli.run(
        Target::CurrentWorker,
        &Command::set_weight("web", "s1", 0).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        server.await.unwrap(),
        "@1 set server web/s1 weight 0; quit\n"
    );
}

#[tokio::test]
async fn a_missing_socket_is_a_transport_error() {
    let path = socket_path("missing");
    let err = Cli::new(&path)
        .run(Target::Master, &Command::show_proc())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.message().contains("cli.sock"), "{err}");
}

#[tokio::test]
async fn a_silent_socket_times_out() {
    let path = socket_path("silent");
    let _server = serve_once(&path, None).await;
    let cli = Cli::new(&path).timeout(Duration::from_millis(200));
    let err = cli
        .run(Target::Master, &Command::show_proc())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn garbage_answers_never_panic() {
    let answers: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00, b'\n'],
        b"#<PID>\n\xff\xff worker\n".to_vec(),
        b"# pxname,svname\n\"unterminated,".to_vec(),
        b"1\n# be_name srv_name srv_addr srv_op_state srv_admin_state srv_uweight\nweb s1 x 999 999 4294967296\n".to_vec(),
    ];
    for (i, answer) in answers.into_iter().enumerate() {
        let path = socket_path(&format!("garbage{i}"));
        let _server = serve_once(&path, Some(answer)).await;
        let text = Cli::new(&path)
            .run(Target::Direct, &Command::show_stat())
            .await
            .unwrap();
        // Whatever came back, every parser returns instead of panicking.
        let _ = parse_show_stat(&text);
        let _ = parse_show_proc(&text);
        let _ = parse_servers_state(&text);
        assert!(!text.is_empty(), "case {i}");
    }
}

/// Real-looking answers, cut, spliced and sprinkled with bytes: every
/// parser returns (an error is fine) and never panics. Fixed seed, bounded.
#[test]
fn parsers_never_panic_on_mutated_answers() {
    let seeds = [
        format!("{STAT_HEADER}\n{}\n", stat_line(&[("pxname", "web"), ("svname", "s1"), ("status", "UP")])),
        SHOW_PROC.to_owned(),
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight\n3 web 1 s1 127.0.0.1 2 0 1\n".to_owned(),
        crate::config::FORMAT_LINE.to_owned() + "\n\nfrontend web\n    mode http\n    bind 127.0.0.1:80\n",
    ];
    let alphabet = b"#,;\"\n\r\t 0123456789-:[]*/UPDOWNweb\xff\x00";
    let mut rng = fastrand::Rng::with_seed(0x01bc_10ad);
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..4000 {
        let seed = seeds[rng.usize(..seeds.len())].as_bytes();
        let mut bytes = seed.to_vec();
        for _ in 0..rng.usize(1..8) {
            match rng.u8(..4) {
                0 if !bytes.is_empty() => {
                    let at = rng.usize(..bytes.len());
                    bytes.truncate(at);
                }
                1 => {
                    let at = rng.usize(..=bytes.len());
                    bytes.insert(at, alphabet[rng.usize(..alphabet.len())]);
                }
                2 if !bytes.is_empty() => {
                    let at = rng.usize(..bytes.len());
                    bytes[at] = rng.u8(..);
                }
                _ => {
                    let other = seeds[rng.usize(..seeds.len())].as_bytes();
                    let at = rng.usize(..=bytes.len());
                    bytes.splice(at..at, other.iter().copied());
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let results = [
            parse_show_stat(&text).is_ok(),
            parse_show_proc(&text).is_ok(),
            parse_servers_state(&text).is_ok(),
            crate::config::OwnedConfig::parse(&text).is_ok(),
        ];
        accepted += results.iter().filter(|ok| **ok).count();
        refused += results.iter().filter(|ok| !**ok).count();
    }
    // The mutations reach both sides of the parsers, so the run tested something.
    assert!(
        accepted > 100 && refused > 100,
        "accepted {accepted}, refused {refused}"
    );
}

/// What HAProxy 2.6.12's admin socket answered, in interactive mode, to
/// `add`, `enable`, `set ... maint`, `del`, a second `del` of the same
/// server and `show servers state web` (`del server` ends its answer
/// without the empty line the others end with).
const PROMPTED_ADMIN: &str = "\n> New server registered.\n\n> \n> \n> Server deleted.\n> \
No such server.\n> 1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state \
srv_uweight\n2 web 1 s0 127.0.0.1 2 0 1\n\n> ";

fn batch_of_six() -> Vec<Command> {
    let ip = "127.0.0.1".parse().unwrap();
    vec![
        Command::add_server("web", "n1", ip, 31000, 1, &[]).unwrap(),
        Command::enable_server("web", "n1").unwrap(),
        Command::set_state("web", "n1", AdminState::Maint).unwrap(),
        Command::del_server("web", "n1").unwrap(),
        Command::del_server("web", "n1").unwrap(),
        Command::show_servers_state(Some("web")).unwrap(),
    ]
}

#[test]
fn prompted_answers_split_at_each_prompt_on_either_socket() {
    let frames = split_prompted(PROMPTED_ADMIN, 6).unwrap();
    assert_eq!(frames[0].trim(), "New server registered.");
    assert_eq!(frames[1], "");
    assert_eq!(frames[2], "");
    assert_eq!(frames[3], "Server deleted.");
    assert_eq!(frames[4], "No such server.");
    assert!(frames[5].starts_with("1\n# be_id"), "{:?}", frames[5]);
    // The master CLI prompts with its context, and once more after `quit`.
    let master = "master> New server registered.\n\nmaster> \nmaster> Server deleted.\n\
                  master> No such server.\nmaster> master> ";
    let frames = split_prompted(master, 4).unwrap();
    assert_eq!(
        frames,
        [
            "New server registered.\n",
            "",
            "Server deleted.",
            "No such server."
        ]
    );
}

#[test]
fn prompted_answers_that_do_not_match_the_commands_are_refused() {
    // HAProxy closed after two answers (a worker that died, a time-out).
    let err = split_prompted("\n> New server registered.\n\n> \n> ", 3).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert!(err.message().contains("ended after 2"), "{err}");
    // More answers than commands: the split cannot be trusted.
    let err = split_prompted("\n> \n> \n> Server deleted.\n> ", 1).unwrap_err();
    assert!(err.message().contains("more answers"), "{err}");
    // No prompt at all (an old HAProxy, or something else on the socket).
    for text in ["", "\n\n", "Unknown command\n", "a b> c\n> "] {
        assert!(split_prompted(text, 1).is_err(), "{text:?}");
    }
}

#[tokio::test]
async fn a_batch_goes_in_one_exchange_and_each_answer_is_judged() {
    let path = socket_path("batch");
    let server = serve_once(&path, Some(PROMPTED_ADMIN.as_bytes().to_vec())).await;
    let commands = batch_of_six();
    let answers = Cli::new(&path)
        .run_batch(Target::Direct, &commands)
        .await
        .unwrap();
    let sent = server.await.unwrap();
    let mut expected = String::from("prompt\n");
    for c in &commands {
        expected.push_str(c.as_str());
        expected.push('\n');
    }
    expected.push_str("quit\n");
    assert_eq!(sent, expected);
    let kinds: Vec<Option<ErrorKind>> = answers
        .iter()
        .map(|a| a.as_ref().err().map(Error::kind))
        .collect();
    assert_eq!(
        kinds,
        [None, None, None, None, Some(ErrorKind::NotFound), None]
    );
    let err = answers[4].as_ref().unwrap_err();
    assert_eq!(err.action(), Some("del server web/n1"), "{err}");
    let rows = parse_servers_state(answers[5].as_ref().unwrap()).unwrap();
    assert_eq!(rows[0].server, "s0");

    // Through the master, every line goes to the current worker.
    let _ = std::fs::remove_file(&path);
    let server = serve_once(&path, Some(b"master> \nmaster> ".to_vec())).await;
    let answers = Cli::new(&path)
        .run_batch(
            Target::CurrentWorker,
            &[Command::enable_server("web", "n1").unwrap()],
        )
        .await
        .unwrap();
    assert!(answers[0].is_ok());
    assert_eq!(
        server.await.unwrap(),
        "prompt\n@1 enable server web/n1\nquit\n"
    );

    // `reload` closes the connection: it cannot be part of a batch.
    let err = Cli::new(&path)
        .run_batch(Target::Master, &[Command::reload()])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

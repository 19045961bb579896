/*
 * native-bench: the librdkafka-only ceiling that sluice's benchmark figures are divided by.
 *
 *   native-bench consume --bootstrap B --topic T --group G --count N [--batch 10000]
 *   native-bench produce --bootstrap B --topic T --count N [--size 100] [--acks all] [--linger-ms 5]
 *   native-bench mirror  --bootstrap B --topic IN --to-topic OUT --group G --count N
 *
 * It does what sluice's native addon does on the hot path (batch consume, offsets stored per
 * batch after the batch was "handled", zero-copy produce with delivery reports) and nothing
 * else, then prints one JSON line on stdout. See README.md for what each setting is and why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                      */

enum mode { MODE_CONSUME, MODE_PRODUCE, MODE_MIRROR };
static const char *const MODE_NAMES[] = {"consume", "produce", "mirror"};

#define MAX_OVERRIDES 128

struct opts {
        enum mode mode;
        const char *bootstrap;
        const char *topic;
        const char *to_topic;
        const char *group;
        long long count;
        long batch;
        int commit_every_batch;
        int resume;
        long size;
        long key_size;
        const char *acks;
        long linger_ms;
        int copy;
        long produce_batch;
        long rate;
        long partitions;
        long replication;
        int keep_partition;
        long idle_timeout_s;
        int verbose;
        int n_overrides;
        const char *overrides[MAX_OVERRIDES];
};

static struct opts o = {
    .batch          = 10000,
    .size           = 100,
    .key_size       = 0,
    .acks           = "all",
    .linger_ms      = 5,
    .replication    = 1,
    .keep_partition = 1,
    .idle_timeout_s = 30,
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
        (void)sig;
        interrupted = 1;
}

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...) {
        va_list ap;
        fputs("native-bench: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        exit(1);
}

__attribute__((format(printf, 1, 2))) static void vlog(const char *fmt, ...) {
        va_list ap;
        if (!o.verbose)
                return;
        fputs("native-bench: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static void usage(FILE *f) {
        fputs(
            "usage: native-bench consume|produce|mirror [options]\n"
            "\n"
            "common:\n"
            "  --bootstrap HOST:PORT   brokers (required)\n"
            "  --topic T               topic to consume (consume, mirror) or produce to (produce)\n"
            "  --count N               number of messages to consume / produce / mirror (required)\n"
            "  -X key=value            librdkafka property override, repeatable; applied last.\n"
            "                          In mirror mode 'consumer.key=value' / 'producer.key=value'\n"
            "                          target one client, a bare key goes to both\n"
            "  --idle-timeout S        give up when nothing progresses for S seconds (default 30)\n"
            "  --verbose               progress on stderr\n"
            "consume, mirror:\n"
            "  --group G               consumer group id (required)\n"
            "  --batch B               max messages per rd_kafka_consume_batch_queue call (10000)\n"
            "  --commit-every-batch    commit (async) after each batch's offsets are stored,\n"
            "                          instead of the 5 s auto commit\n"
            "  --resume                start from the group's committed offsets, not the beginning\n"
            "produce, mirror:\n"
            "  --acks all|1|0|-1       acks (default all)\n"
            "  --linger-ms MS          linger.ms (default 5)\n"
            "produce:\n"
            "  --size BYTES            value size (default 100)\n"
            "  --key-size BYTES        key size, 0 = no key (default 0)\n"
            "  --copy                  RD_KAFKA_MSG_F_COPY instead of zero-copy pool buffers\n"
            "  --produce-batch K       enqueue with rd_kafka_produce_batch, K messages a call\n"
            "  --rate N                produce at most N messages/s (one call per message; for latency runs)\n"
            "                          (default 0: rd_kafka_produce per message)\n"
            "  --partitions P          create the topic with P partitions first (if missing)\n"
            "  --replication R         replication factor for --partitions (default 1)\n"
            "mirror:\n"
            "  --to-topic T            topic to produce to (required)\n"
            "  --out-partition keep|any  keep the source partition (default) or let the\n"
            "                          partitioner choose\n",
            f);
}

static long long parse_ll(const char *flag, const char *s, long long min, long long max) {
        char *end;
        long long v;
        errno = 0;
        v     = strtoll(s, &end, 10);
        if (errno || end == s || *end || v < min || v > max)
                die("%s expects an integer between %lld and %lld, got '%s'", flag, min, max, s);
        return v;
}

static void parse_args(int argc, char **argv) {
        enum {
                O_BOOTSTRAP = 256,
                O_TOPIC,
                O_TO_TOPIC,
                O_GROUP,
                O_COUNT,
                O_BATCH,
                O_COMMIT_EVERY_BATCH,
                O_RESUME,
                O_SIZE,
                O_KEY_SIZE,
                O_ACKS,
                O_LINGER_MS,
                O_COPY,
                O_PRODUCE_BATCH,
                O_RATE,
                O_PARTITIONS,
                O_REPLICATION,
                O_OUT_PARTITION,
                O_IDLE_TIMEOUT,
                O_VERBOSE,
                O_HELP,
        };
        static const struct option longopts[] = {
            {"bootstrap", required_argument, NULL, O_BOOTSTRAP},
            {"topic", required_argument, NULL, O_TOPIC},
            {"to-topic", required_argument, NULL, O_TO_TOPIC},
            {"group", required_argument, NULL, O_GROUP},
            {"count", required_argument, NULL, O_COUNT},
            {"batch", required_argument, NULL, O_BATCH},
            {"commit-every-batch", no_argument, NULL, O_COMMIT_EVERY_BATCH},
            {"resume", no_argument, NULL, O_RESUME},
            {"size", required_argument, NULL, O_SIZE},
            {"key-size", required_argument, NULL, O_KEY_SIZE},
            {"acks", required_argument, NULL, O_ACKS},
            {"linger-ms", required_argument, NULL, O_LINGER_MS},
            {"copy", no_argument, NULL, O_COPY},
            {"produce-batch", required_argument, NULL, O_PRODUCE_BATCH},
            {"rate", required_argument, NULL, O_RATE},
            {"partitions", required_argument, NULL, O_PARTITIONS},
            {"replication", required_argument, NULL, O_REPLICATION},
            {"out-partition", required_argument, NULL, O_OUT_PARTITION},
            {"idle-timeout", required_argument, NULL, O_IDLE_TIMEOUT},
            {"verbose", no_argument, NULL, O_VERBOSE},
            {"help", no_argument, NULL, O_HELP},
            {NULL, 0, NULL, 0},
        };
        const char *mode = NULL;
        int c;

        while ((c = getopt_long(argc, argv, "X:h", longopts, NULL)) != -1) {
                switch (c) {
                case O_BOOTSTRAP: o.bootstrap = optarg; break;
                case O_TOPIC: o.topic = optarg; break;
                case O_TO_TOPIC: o.to_topic = optarg; break;
                case O_GROUP: o.group = optarg; break;
                case O_COUNT: o.count = parse_ll("--count", optarg, 1, LLONG_MAX / 2); break;
                case O_BATCH: o.batch = (long)parse_ll("--batch", optarg, 1, 10000000); break;
                case O_COMMIT_EVERY_BATCH: o.commit_every_batch = 1; break;
                case O_RESUME: o.resume = 1; break;
                case O_SIZE: o.size = (long)parse_ll("--size", optarg, 0, 100000000); break;
                case O_KEY_SIZE: o.key_size = (long)parse_ll("--key-size", optarg, 0, 1000000); break;
                case O_ACKS:
                        if (strcmp(optarg, "all") && strcmp(optarg, "-1") && strcmp(optarg, "0") &&
                            strcmp(optarg, "1"))
                                die("--acks expects all, -1, 0 or 1, got '%s'", optarg);
                        o.acks = optarg;
                        break;
                case O_LINGER_MS: o.linger_ms = (long)parse_ll("--linger-ms", optarg, 0, 900000); break;
                case O_COPY: o.copy = 1; break;
                case O_PRODUCE_BATCH:
                        o.produce_batch = (long)parse_ll("--produce-batch", optarg, 0, 1000000);
                        break;
                case O_RATE:
                        o.rate = (long)parse_ll("--rate", optarg, 1, 100000000);
                        break;
                case O_PARTITIONS: o.partitions = (long)parse_ll("--partitions", optarg, 1, 100000); break;
                case O_REPLICATION: o.replication = (long)parse_ll("--replication", optarg, 1, 100); break;
                case O_OUT_PARTITION:
                        if (!strcmp(optarg, "keep"))
                                o.keep_partition = 1;
                        else if (!strcmp(optarg, "any"))
                                o.keep_partition = 0;
                        else
                                die("--out-partition expects keep or any, got '%s'", optarg);
                        break;
                case O_IDLE_TIMEOUT:
                        o.idle_timeout_s = (long)parse_ll("--idle-timeout", optarg, 1, 86400);
                        break;
                case O_VERBOSE: o.verbose = 1; break;
                case 'X':
                        if (o.n_overrides == MAX_OVERRIDES)
                                die("-X: at most %d overrides", MAX_OVERRIDES);
                        if (!strchr(optarg, '=') || optarg[0] == '=')
                                die("-X expects key=value, got '%s'", optarg);
                        o.overrides[o.n_overrides++] = optarg;
                        break;
                case 'h':
                case O_HELP: usage(stdout); exit(0);
                default: usage(stderr); exit(2);
                }
        }
        if (optind < argc)
                mode = argv[optind++];
        if (optind < argc)
                die("unexpected argument '%s' (see --help)", argv[optind]);
        if (!mode)
                die("missing mode: consume, produce or mirror (see --help)");
        if (!strcmp(mode, "consume"))
                o.mode = MODE_CONSUME;
        else if (!strcmp(mode, "produce"))
                o.mode = MODE_PRODUCE;
        else if (!strcmp(mode, "mirror"))
                o.mode = MODE_MIRROR;
        else
                die("unknown mode '%s': expected consume, produce or mirror", mode);

        if (!o.bootstrap)
                die("--bootstrap is required");
        if (!o.topic)
                die("--topic is required");
        if (!o.count)
                die("--count is required");
        if (o.mode != MODE_PRODUCE && !o.group)
                die("--group is required in %s mode", mode);
        if (o.mode == MODE_MIRROR && !o.to_topic)
                die("--to-topic is required in mirror mode");
        if (o.mode == MODE_MIRROR && !strcmp(o.topic, o.to_topic))
                die("--to-topic must differ from --topic");
        if (o.mode != MODE_PRODUCE && o.batch > o.count)
                o.batch = (long)o.count;
        if (o.rate && o.produce_batch)
                die("--rate paces one call per message: leave out --produce-batch");
}

/* ------------------------------------------------------------------------------------------ */
/* Clocks and the result line                                                                   */

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct cpu {
        double user, sys;
        long max_rss_kb;
};

static struct cpu cpu_now(void) {
        struct rusage ru;
        struct cpu c;
        getrusage(RUSAGE_SELF, &ru);
        c.user       = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
        c.sys        = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        c.max_rss_kb = ru.ru_maxrss;
        return c;
}

/* The measured window: [t0, t1] and the process CPU spent inside it (all threads). */
struct window {
        double t0, t1;
        struct cpu c0, c1;
        long long records, bytes;
};

static void window_open(struct window *w) {
        w->t0 = now_s();
        w->c0 = cpu_now();
}

static void window_close(struct window *w) {
        w->t1 = now_s();
        w->c1 = cpu_now();
}

static void print_result(const struct window *w) {
        double secs = w->t1 - w->t0;
        double user = w->c1.user - w->c0.user, sys = w->c1.sys - w->c0.sys;
        if (secs <= 0)
                secs = 1e-9;
        printf("{\"mode\":\"%s\",\"records\":%lld,\"bytes\":%lld,\"seconds\":%.6f,"
               "\"records_per_sec\":%.0f,\"mb_per_sec\":%.2f,\"cpu_user_s\":%.3f,"
               "\"cpu_sys_s\":%.3f,\"cpu_s_per_million\":%.3f,\"max_rss_kb\":%ld}\n",
               MODE_NAMES[o.mode], w->records, w->bytes, secs, (double)w->records / secs,
               (double)w->bytes / secs / 1e6, user, sys,
               w->records ? (user + sys) * 1e6 / (double)w->records : 0.0, w->c1.max_rss_kb);
        fflush(stdout);
}

/* Once a second with --verbose. */
struct progress {
        double next, last_t;
        long long last_n;
};

static void progress_tick(struct progress *p, const char *what, long long n) {
        double t;
        if (!o.verbose)
                return;
        t = now_s();
        if (t < p->next)
                return;
        if (p->last_t > 0)
                vlog("%s %lld / %lld (%.0f/s)", what, n, o.count,
                     (double)(n - p->last_n) / (t - p->last_t));
        p->last_t = t;
        p->last_n = n;
        p->next   = t + 1.0;
}

/* ------------------------------------------------------------------------------------------ */
/* Configuration                                                                                */

static void conf_set(rd_kafka_conf_t *conf, const char *key, const char *value, const char *origin) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, key, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
                die("%s: cannot set librdkafka property %s=%s: %s", origin, key, value, errstr);
}

/* -X overrides, last so they win. `role` is "consumer" or "producer". */
static void apply_overrides(rd_kafka_conf_t *conf, const char *role) {
        size_t rlen = strlen(role);
        int i;
        for (i = 0; i < o.n_overrides; i++) {
                char key[512];
                const char *kv = o.overrides[i], *eq;
                if (!strncmp(kv, "consumer.", 9) || !strncmp(kv, "producer.", 9)) {
                        if (strncmp(kv, role, rlen) || kv[rlen] != '.')
                                continue;
                        kv += rlen + 1;
                }
                eq = strchr(kv, '=');
                if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
                        die("-X expects key=value, got '%s'", o.overrides[i]);
                memcpy(key, kv, (size_t)(eq - kv));
                key[eq - kv] = '\0';
                conf_set(conf, key, eq + 1, "-X");
        }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)opaque;
        if (err == RD_KAFKA_RESP_ERR__FATAL) {
                char errstr[512];
                rd_kafka_fatal_error(rk, errstr, sizeof(errstr));
                die("%s: fatal librdkafka error: %s", rd_kafka_name(rk), errstr);
        }
        /* Transient (a broker connection dropped, ...): librdkafka retries by itself. */
        vlog("%s: %s: %s", rd_kafka_name(rk), rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static rd_kafka_conf_t *base_conf(void) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        conf_set(conf, "bootstrap.servers", o.bootstrap, "--bootstrap");
        conf_set(conf, "client.id", "native-bench", "client.id");
        rd_kafka_conf_set_error_cb(conf, error_cb);
        return conf;
}

/*
 * Consumer settings sluice's sink uses. README.md has the measurement behind each value.
 */
static void consumer_settings(rd_kafka_conf_t *conf) {
        conf_set(conf, "group.id", o.group, "--group");
        /* Without a committed offset (and with --resume) start at the oldest message. */
        conf_set(conf, "auto.offset.reset", "earliest", "auto.offset.reset");
        /* At-least-once as the sink does it: store offsets only once a batch is handled. */
        conf_set(conf, "enable.auto.offset.store", "false", "enable.auto.offset.store");
        conf_set(conf, "enable.auto.commit", o.commit_every_batch ? "false" : "true",
                 "--commit-every-batch");
        conf_set(conf, "enable.partition.eof", "false", "enable.partition.eof");
        /* Refill the local queue at once when it drops below queued.min.messages (default 1000 ms,
         * during which a fast consumer runs dry). */
        conf_set(conf, "fetch.queue.backoff.ms", "1", "fetch.queue.backoff.ms");
        /* Per-partition prefetch target; 100000 is librdkafka's default. */
        conf_set(conf, "queued.min.messages", "100000", "queued.min.messages");
        /* Only waited when a partition has nothing new; lower = faster pick-up at the tail. */
        conf_set(conf, "fetch.wait.max.ms", "100", "fetch.wait.max.ms");
        /* Per fetch response (all partitions of one broker) and per partition. */
        conf_set(conf, "fetch.max.bytes", "52428800", "fetch.max.bytes");
        conf_set(conf, "max.partition.fetch.bytes", "1048576", "max.partition.fetch.bytes");
}

/*
 * Producer settings sluice's source uses. README.md has the measurement behind each value.
 */
static void producer_settings(rd_kafka_conf_t *conf) {
        char num[32];
        conf_set(conf, "acks", o.acks, "--acks");
        snprintf(num, sizeof(num), "%ld", o.linger_ms);
        conf_set(conf, "linger.ms", num, "--linger-ms");
        /* Bounds of one MessageSet per partition. batch.size stays under the broker's
         * message.max.bytes (1 MiB + 12) so a full batch is never rejected. */
        conf_set(conf, "batch.num.messages", "10000", "batch.num.messages");
        conf_set(conf, "batch.size", "1000000", "batch.size");
        /* The local queue; QUEUE_FULL (ENOBUFS) past it is the backpressure signal. */
        conf_set(conf, "queue.buffering.max.messages", "1000000", "queue.buffering.max.messages");
        conf_set(conf, "queue.buffering.max.kbytes", "1048576", "queue.buffering.max.kbytes");
        conf_set(conf, "compression.type", "none", "compression.type");
}

static long conf_get_long(rd_kafka_conf_t *conf, const char *key) {
        char buf[64];
        size_t len = sizeof(buf);
        if (rd_kafka_conf_get(conf, key, buf, &len) != RD_KAFKA_CONF_OK)
                die("cannot read back librdkafka property %s", key);
        return strtol(buf, NULL, 10);
}

/* Metadata of one topic once every partition has a leader; dies after the idle timeout. */
static int topic_partitions(rd_kafka_t *rk, const char *topic, const char *flag) {
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        double deadline       = now_s() + (double)o.idle_timeout_s;
        const char *why       = "no answer";
        int cnt               = -1;

        if (!rkt)
                die("%s: cannot create topic handle for '%s': %s", flag, topic,
                    rd_kafka_err2str(rd_kafka_last_error()));
        while (cnt < 0) {
                const struct rd_kafka_metadata *md = NULL;
                rd_kafka_resp_err_t err            = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
                if (err) {
                        why = rd_kafka_err2str(err);
                } else if (md->topic_cnt != 1) {
                        why = "no topic in the metadata response";
                } else if (md->topics[0].err) {
                        why = rd_kafka_err2str(md->topics[0].err);
                        if (md->topics[0].err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART &&
                            o.mode != MODE_PRODUCE && rkt && !strcmp(flag, "--topic")) {
                                rd_kafka_metadata_destroy(md);
                                die("%s: topic '%s' does not exist on %s", flag, topic, o.bootstrap);
                        }
                } else if (md->topics[0].partition_cnt == 0) {
                        why = "topic has no partitions yet";
                } else {
                        int i, leaderless = 0;
                        for (i = 0; i < md->topics[0].partition_cnt; i++)
                                leaderless += md->topics[0].partitions[i].leader < 0;
                        if (leaderless)
                                why = "some partitions have no leader yet";
                        else
                                cnt = md->topics[0].partition_cnt;
                }
                if (md)
                        rd_kafka_metadata_destroy(md);
                if (cnt < 0) {
                        if (now_s() > deadline || interrupted)
                                die("%s: no usable metadata for topic '%s' from %s within %ld s "
                                    "(--idle-timeout): %s",
                                    flag, topic, o.bootstrap, o.idle_timeout_s, why);
                        usleep(200 * 1000);
                }
        }
        rd_kafka_topic_destroy(rkt);
        return cnt;
}

/* ------------------------------------------------------------------------------------------ */
/* Consumer (consume and mirror)                                                                */

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque) {
        int cooperative = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
        rd_kafka_error_t *error = NULL;
        rd_kafka_resp_err_t rerr = RD_KAFKA_RESP_ERR_NO_ERROR;
        int i;
        (void)opaque;

        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                /* Measure the full topic every time unless --resume: a rerun with the same
                 * group would otherwise find nothing left to read. */
                if (!o.resume)
                        for (i = 0; i < parts->cnt; i++)
                                parts->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
                vlog("assigned %d partition(s)%s", parts->cnt, o.resume ? "" : " from the beginning");
                if (cooperative)
                        error = rd_kafka_incremental_assign(rk, parts);
                else
                        rerr = rd_kafka_assign(rk, parts);
        } else {
                vlog("revoked %d partition(s): %s", parts->cnt, rd_kafka_err2str(err));
                if (cooperative)
                        error = rd_kafka_incremental_unassign(rk, parts);
                else
                        rerr = rd_kafka_assign(rk, NULL);
        }
        if (error)
                die("partition assignment failed: %s", rd_kafka_error_string(error));
        if (rerr)
                die("partition assignment failed: %s", rd_kafka_err2str(rerr));
}

static rd_kafka_t *new_consumer(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = base_conf();
        rd_kafka_topic_partition_list_t *topics;
        rd_kafka_resp_err_t err;
        rd_kafka_t *rk;

        consumer_settings(conf);
        apply_overrides(conf, "consumer");
        rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk)
                die("cannot create consumer: %s", errstr);
        /* Without this the main queue (errors, rebalances) would have to be polled apart. */
        rd_kafka_poll_set_consumer(rk);
        topic_partitions(rk, o.topic, "--topic");
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, o.topic, RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(rk, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err)
                die("--topic: cannot subscribe to '%s': %s", o.topic, rd_kafka_err2str(err));
        return rk;
}

/* A consumed message that carries an error instead of data. */
static void consumer_error(const rd_kafka_message_t *m) {
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                return;
        if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
            m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
            m->err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED ||
            m->err == RD_KAFKA_RESP_ERR__FATAL)
                die("consumer (--topic %s, --group %s): %s", o.topic, o.group,
                    rd_kafka_message_errstr(m));
        vlog("consumer: %s", rd_kafka_message_errstr(m));
}

/*
 * Offsets to store for a run of messages: for each partition, the offset after its last message
 * (within one partition a batch is in offset order). Values are copied, not the message pointer:
 * in mirror mode a message may already be delivered and destroyed when the list is built.
 * `stamp` tells which partitions were seen in this run without clearing the table each time.
 */
struct offset_table {
        int cap;
        unsigned stamp;
        unsigned *seen;
        int64_t *next_offset;
        int32_t *epoch;
};

static void offsets_note(struct offset_table *t, const rd_kafka_message_t *m) {
        int p = (int)m->partition;
        if (p >= t->cap) {
                int ncap = t->cap ? t->cap : 64, i;
                while (ncap <= p)
                        ncap *= 2;
                t->seen        = realloc(t->seen, sizeof(*t->seen) * (size_t)ncap);
                t->next_offset = realloc(t->next_offset, sizeof(*t->next_offset) * (size_t)ncap);
                t->epoch       = realloc(t->epoch, sizeof(*t->epoch) * (size_t)ncap);
                if (!t->seen || !t->next_offset || !t->epoch)
                        die("out of memory");
                for (i = t->cap; i < ncap; i++)
                        t->seen[i] = 0;
                t->cap = ncap;
        }
        t->seen[p]        = t->stamp;
        t->next_offset[p] = m->offset + 1;
        t->epoch[p]       = rd_kafka_message_leader_epoch(m);
}

/* Builds the list for rd_kafka_offsets_store() from the messages noted since the last call. */
static rd_kafka_topic_partition_list_t *offsets_take(struct offset_table *t) {
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(8);
        int p;
        for (p = 0; p < t->cap; p++) {
                if (t->seen[p] == t->stamp) {
                        rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_add(list, o.topic, p);
                        tp->offset                     = t->next_offset[p];
                        rd_kafka_topic_partition_set_leader_epoch(tp, t->epoch[p]);
                }
        }
        if (++t->stamp == 0)
                t->stamp = 1;
        return list;
}

static void offsets_free(struct offset_table *t) {
        free(t->seen);
        free(t->next_offset);
        free(t->epoch);
}

static void offsets_store(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *list) {
        rd_kafka_resp_err_t err;
        if (list->cnt == 0)
                return;
        err = rd_kafka_offsets_store(rk, list);
        if (err)
                /* __STATE: the partition was revoked meanwhile; its new owner re-reads. */
                vlog("rd_kafka_offsets_store: %s", rd_kafka_err2str(err));
        if (o.commit_every_batch) {
                err = rd_kafka_commit(rk, NULL, 1 /* async */);
                if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
                        vlog("rd_kafka_commit: %s", rd_kafka_err2str(err));
        }
}

static void consumer_close(rd_kafka_t *rk) {
        /* Commits the stored offsets (auto commit) and leaves the group. */
        rd_kafka_resp_err_t err = rd_kafka_consumer_close(rk);
        if (err)
                fprintf(stderr, "native-bench: warning: consumer close: %s\n", rd_kafka_err2str(err));
        rd_kafka_destroy(rk);
}

/* ------------------------------------------------------------------------------------------ */
/* consume                                                                                      */

static int run_consume(void) {
        rd_kafka_t *rk            = new_consumer();
        rd_kafka_queue_t *rkqu    = rd_kafka_queue_get_consumer(rk);
        rd_kafka_message_t **msgs = calloc((size_t)o.batch, sizeof(*msgs));
        struct offset_table offs  = {.stamp = 1};
        struct progress prog      = {0};
        struct window w           = {0};
        long long n = 0, bytes = 0, batches = 0;
        uint64_t checksum = 0;
        double last_progress = now_s();
        int started          = 0;

        if (!msgs)
                die("out of memory for --batch %ld", o.batch);
        while (n < o.count && !interrupted) {
                /* The first call asks for one message, so the window opens when the first
                 * message arrives rather than after a whole batch has been prefetched. */
                size_t want = started ? (size_t)(o.batch < o.count - n ? o.batch : o.count - n) : 1;
                ssize_t got = rd_kafka_consume_batch_queue(rkqu, 100, msgs, want);
                ssize_t i;

                if (got < 0)
                        die("rd_kafka_consume_batch_queue: %s", rd_kafka_err2str(rd_kafka_last_error()));
                if (got > 0 && !started) {
                        window_open(&w);
                        started = 1;
                }
                for (i = 0; i < got; i++) {
                        rd_kafka_message_t *m = msgs[i];
                        if (m->err) {
                                consumer_error(m);
                        } else if (n < o.count) {
                                /* Touch the payload: length plus first and last byte. */
                                bytes += (long long)(m->len + m->key_len);
                                if (m->len)
                                        checksum += (uint64_t)((const uint8_t *)m->payload)[0] +
                                                    ((const uint8_t *)m->payload)[m->len - 1];
                                offsets_note(&offs, m);
                                n++;
                        }
                }
                if (got > 0) {
                        rd_kafka_topic_partition_list_t *list;
                        /* The batch is handled: store (and optionally commit) its offsets, then
                         * hand the messages back, as the sink does once it has flushed. */
                        list = offsets_take(&offs);
                        offsets_store(rk, list);
                        rd_kafka_topic_partition_list_destroy(list);
                        for (i = 0; i < got; i++)
                                rd_kafka_message_destroy(msgs[i]);
                        batches++;
                        last_progress = now_s();
                        progress_tick(&prog, "consumed", n);
                } else if (now_s() - last_progress > (double)o.idle_timeout_s) {
                        die("only %lld of %lld messages (--count) arrived from topic '%s'; nothing "
                            "new for %ld s (--idle-timeout)",
                            n, o.count, o.topic, o.idle_timeout_s);
                }
        }
        if (interrupted)
                die("interrupted after %lld of %lld messages", n, o.count);
        window_close(&w);
        w.records = n;
        w.bytes   = bytes;
        vlog("%lld batches, %.0f messages per batch, checksum %" PRIu64, batches,
             batches ? (double)n / (double)batches : 0.0, checksum);
        free(msgs);
        offsets_free(&offs);
        rd_kafka_queue_destroy(rkqu);
        consumer_close(rk);
        print_result(&w);
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* produce                                                                                      */

/*
 * Zero copy: each in-flight message owns one slot of `pool` until its delivery report returns
 * it to the free stack. The pool has as many slots as librdkafka may queue, so it runs out
 * exactly when librdkafka would answer QUEUE_FULL.
 */
struct producer_state {
        long long acked, failed;
        rd_kafka_resp_err_t first_err;
        char *pool;
        size_t slot_size;
        uint32_t *free_stack;
        long free_top;
};

static void produce_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        struct producer_state *st = opaque;
        (void)rk;
        if (m->err) {
                if (!st->failed)
                        st->first_err = m->err;
                st->failed++;
        } else {
                st->acked++;
        }
        if (st->free_stack)
                st->free_stack[st->free_top++] = (uint32_t)(uintptr_t)m->_private;
}

static rd_kafka_t *new_producer(void *opaque, void (*dr)(rd_kafka_t *, const rd_kafka_message_t *,
                                                         void *),
                                long *max_msgs) {
        char errstr[512];
        rd_kafka_conf_t *conf = base_conf();
        rd_kafka_t *rk;

        producer_settings(conf);
        apply_overrides(conf, "producer");
        rd_kafka_conf_set_dr_msg_cb(conf, dr);
        rd_kafka_conf_set_opaque(conf, opaque);
        if (max_msgs)
                *max_msgs = conf_get_long(conf, "queue.buffering.max.messages");
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk)
                die("cannot create producer: %s", errstr);
        return rk;
}

static void create_topic(rd_kafka_t *rk) {
        char errstr[512];
        rd_kafka_NewTopic_t *nt;
        rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
        rd_kafka_event_t *ev;
        const rd_kafka_CreateTopics_result_t *res;
        const rd_kafka_topic_result_t **tres;
        size_t cnt;

        nt = rd_kafka_NewTopic_new(o.topic, (int)o.partitions, (int)o.replication, errstr,
                                   sizeof(errstr));
        if (!nt)
                die("--partitions/--replication: %s", errstr);
        rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
        ev = rd_kafka_queue_poll(q, (int)o.idle_timeout_s * 1000);
        if (!ev)
                die("--partitions: no CreateTopics answer from %s within %ld s", o.bootstrap,
                    o.idle_timeout_s);
        if (rd_kafka_event_error(ev))
                die("--partitions: creating topic '%s' failed: %s", o.topic,
                    rd_kafka_event_error_string(ev));
        res  = rd_kafka_event_CreateTopics_result(ev);
        tres = rd_kafka_CreateTopics_result_topics(res, &cnt);
        if (cnt == 1 && rd_kafka_topic_result_error(tres[0])) {
                if (rd_kafka_topic_result_error(tres[0]) == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
                        vlog("topic '%s' already exists, not created", o.topic);
                else
                        die("--partitions: creating topic '%s' failed: %s", o.topic,
                            rd_kafka_topic_result_error_string(tres[0]));
        } else {
                vlog("created topic '%s' with %ld partition(s)", o.topic, o.partitions);
        }
        rd_kafka_event_destroy(ev);
        rd_kafka_NewTopic_destroy(nt);
        rd_kafka_queue_destroy(q);
}

/* The message's distinct content: the sequence number, little-endian, at the start of key and
 * value (truncated to their size); the rest of the bytes is a fixed pattern. */
static void stamp_seq(char *dst, size_t len, uint64_t seq) {
        size_t i;
        for (i = 0; i < len && i < 8; i++)
                dst[i] = (char)(seq >> (8 * i));
}

static void fill_pattern(char *dst, size_t len) {
        size_t i;
        for (i = 0; i < len; i++)
                dst[i] = (char)('a' + i % 26);
}

/* Waits until the producer reports progress; dies if nothing happens for --idle-timeout. */
static void produce_wait(rd_kafka_t *rk, struct producer_state *st, double *last_progress) {
        long long before = st->acked + st->failed;
        rd_kafka_poll(rk, 10);
        if (st->acked + st->failed != before)
                *last_progress = now_s();
        else if (now_s() - *last_progress > (double)o.idle_timeout_s)
                die("no delivery report for %ld s (--idle-timeout): %lld of %lld acknowledged, "
                    "broker %s",
                    o.idle_timeout_s, st->acked, o.count, o.bootstrap);
}

/* Buffer for the next message: a pool slot (zero copy) or, with --copy, scratch slot `k`
 * (one per message of a produce_batch call, since librdkafka copies during the call). */
static char *take_buffer(struct producer_state *st, char *scratch, long k, uint32_t *slot) {
        if (o.copy) {
                *slot = 0;
                return scratch + (size_t)k * st->slot_size;
        }
        *slot = st->free_stack[--st->free_top];
        return st->pool + (size_t)*slot * st->slot_size;
}

static int run_produce(void) {
        struct producer_state st = {0};
        struct progress prog     = {0};
        struct window w          = {0};
        long max_msgs;
        rd_kafka_t *rk = new_producer(&st, produce_dr_cb, &max_msgs);
        rd_kafka_topic_t *rkt;
        size_t ksize = (size_t)o.key_size, vsize = (size_t)o.size;
        long long sent = 0;      /* accepted by librdkafka */
        uint64_t seq   = 0;      /* next sequence number (produce_batch: refused ones get new ones) */
        double last_progress;
        int msgflags = o.copy ? RD_KAFKA_MSG_F_COPY : 0;
        long kbatch  = o.produce_batch, i;
        char *scratch = NULL;
        rd_kafka_message_t *batch = NULL;

        if (o.partitions)
                create_topic(rk);
        rkt = rd_kafka_topic_new(rk, o.topic, NULL);
        if (!rkt)
                die("--topic: %s", rd_kafka_err2str(rd_kafka_last_error()));
        /* Connections up and the topic known before the clock starts. */
        vlog("topic '%s' has %d partition(s)", o.topic, topic_partitions(rk, o.topic, "--topic"));

        st.slot_size = (ksize + vsize + 7) & ~(size_t)7;
        if (!st.slot_size)
                st.slot_size = 8;
        if (o.copy) {
                long slots = kbatch ? kbatch : 1;
                scratch    = malloc((size_t)slots * st.slot_size);
                if (!scratch)
                        die("out of memory");
                for (i = 0; i < slots; i++)
                        fill_pattern(scratch + (size_t)i * st.slot_size, ksize + vsize);
        } else {
                long pool_slots = max_msgs < o.count ? max_msgs : (long)o.count;
                if (pool_slots > (long)(UINT32_MAX / 2))
                        pool_slots = (long)(UINT32_MAX / 2);
                st.pool       = malloc((size_t)pool_slots * st.slot_size);
                st.free_stack = malloc((size_t)pool_slots * sizeof(uint32_t));
                if (!st.pool || !st.free_stack)
                        die("out of memory for %ld buffers of %zu bytes (queue.buffering.max.messages)",
                            pool_slots, st.slot_size);
                for (i = 0; i < pool_slots; i++) {
                        fill_pattern(st.pool + (size_t)i * st.slot_size, ksize + vsize);
                        st.free_stack[i] = (uint32_t)(pool_slots - 1 - i);
                }
                st.free_top = pool_slots;
        }
        if (kbatch) {
                batch = calloc((size_t)kbatch, sizeof(*batch));
                if (!batch)
                        die("out of memory for --produce-batch %ld", kbatch);
        }

        window_open(&w);
        last_progress = w.t0;
        while (sent < o.count && !interrupted) {
                if (kbatch) {
                        /* rd_kafka_produce_batch: up to K messages per call. */
                        long k = 0, ok, j;
                        while (k < kbatch && sent + k < o.count && (o.copy || st.free_top > 0)) {
                                uint32_t slot;
                                char *buf = take_buffer(&st, scratch, k, &slot);
                                stamp_seq(buf, ksize, seq);
                                stamp_seq(buf + ksize, vsize, seq);
                                seq++;
                                batch[k].key      = ksize ? buf : NULL;
                                batch[k].key_len  = ksize;
                                batch[k].payload  = buf + ksize;
                                batch[k].len      = vsize;
                                batch[k]._private = (void *)(uintptr_t)slot;
                                batch[k].err      = RD_KAFKA_RESP_ERR_NO_ERROR;
                                k++;
                        }
                        if (k == 0) {
                                produce_wait(rk, &st, &last_progress);
                                continue;
                        }
                        ok = rd_kafka_produce_batch(rkt, RD_KAFKA_PARTITION_UA, msgflags, batch, (int)k);
                        sent += ok;
                        if (ok < k) {
                                /* Refused messages give their slot back and are produced again
                                 * later with new sequence numbers. Anything but QUEUE_FULL is
                                 * fatal. */
                                for (j = 0; j < k; j++) {
                                        if (!batch[j].err)
                                                continue;
                                        if (batch[j].err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                                die("rd_kafka_produce_batch to '%s': %s", o.topic,
                                                    rd_kafka_err2str(batch[j].err));
                                        if (!o.copy)
                                                st.free_stack[st.free_top++] =
                                                    (uint32_t)(uintptr_t)batch[j]._private;
                                }
                                produce_wait(rk, &st, &last_progress);
                        } else {
                                rd_kafka_poll(rk, 0);
                        }
                        progress_tick(&prog, "acknowledged", st.acked);
                } else {
                        uint32_t slot;
                        char *buf;
                        if (o.rate) {
                                /* Paced: message n leaves no earlier than t0 + n / rate; the wait
                                 * serves delivery reports. */
                                double ahead = w.t0 + (double)sent / (double)o.rate - now_s();
                                if (ahead > 0.001) {
                                        rd_kafka_poll(rk, (int)(ahead * 1000));
                                        continue;
                                }
                        }
                        if (!o.copy && st.free_top == 0) {
                                produce_wait(rk, &st, &last_progress);
                                continue;
                        }
                        buf = take_buffer(&st, scratch, 0, &slot);
                        stamp_seq(buf, ksize, seq);
                        stamp_seq(buf + ksize, vsize, seq);
                        if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, msgflags, buf + ksize, vsize,
                                             ksize ? buf : NULL, ksize, (void *)(uintptr_t)slot) == -1) {
                                rd_kafka_resp_err_t err = rd_kafka_last_error();
                                if (!o.copy)
                                        st.free_stack[st.free_top++] = slot;
                                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                        die("rd_kafka_produce to '%s': %s", o.topic, rd_kafka_err2str(err));
                                /* ENOBUFS: librdkafka's queue is full, serve delivery reports. */
                                produce_wait(rk, &st, &last_progress);
                                continue;
                        }
                        sent++;
                        seq++;
                        if ((sent & 1023) == 0) {
                                rd_kafka_poll(rk, 0);
                                progress_tick(&prog, "acknowledged", st.acked);
                        }
                }
        }
        while (st.acked + st.failed < sent && !interrupted) {
                produce_wait(rk, &st, &last_progress);
                progress_tick(&prog, "acknowledged", st.acked);
        }
        if (interrupted)
                die("interrupted after %lld of %lld acknowledged", st.acked, o.count);
        window_close(&w);
        if (st.failed)
                die("%lld of %lld messages failed delivery to '%s', first error: %s", st.failed,
                    o.count, o.topic, rd_kafka_err2str(st.first_err));
        w.records = st.acked;
        w.bytes   = st.acked * (long long)(ksize + vsize);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_flush(rk, 10000);
        rd_kafka_destroy(rk);
        free(st.pool);
        free(st.free_stack);
        free(scratch);
        free(batch);
        print_result(&w);
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* mirror                                                                                       */

/*
 * Consumed messages are produced without a copy: the consumed message stays alive until its
 * delivery report, which destroys it. A batch's offsets are stored once all of its messages and
 * all earlier batches are delivered (at-least-once, in order), so batches wait in a FIFO.
 */
struct mirror_batch;

struct mirror_entry {
        rd_kafka_message_t *msg;
        struct mirror_batch *batch;
};

struct mirror_batch {
        struct mirror_batch *next;
        long pending;
        rd_kafka_topic_partition_list_t *offsets;
        struct mirror_entry entries[];
};

struct mirror_state {
        rd_kafka_t *consumer;
        struct mirror_batch *head, *tail;
        long long acked, failed;
        rd_kafka_resp_err_t first_err;
        long inflight_batches;
};

static void mirror_retire(struct mirror_state *st) {
        while (st->head && st->head->pending == 0) {
                struct mirror_batch *b = st->head;
                offsets_store(st->consumer, b->offsets);
                rd_kafka_topic_partition_list_destroy(b->offsets);
                st->head = b->next;
                if (!st->head)
                        st->tail = NULL;
                free(b);
                st->inflight_batches--;
        }
}

static void mirror_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        struct mirror_state *st  = opaque;
        struct mirror_entry *e   = m->_private;
        (void)rk;
        if (m->err) {
                if (!st->failed)
                        st->first_err = m->err;
                st->failed++;
        } else {
                st->acked++;
        }
        rd_kafka_message_destroy(e->msg);
        e->batch->pending--;
}

static int run_mirror(void) {
        struct mirror_state st   = {0};
        struct progress prog     = {0};
        struct window w          = {0};
        struct offset_table offs = {.stamp = 1};
        rd_kafka_message_t **msgs;
        rd_kafka_queue_t *rkqu;
        rd_kafka_t *prod;
        rd_kafka_topic_t *out;
        long long n = 0, bytes = 0;
        double last_progress;
        int started = 0, in_parts, out_parts;

        prod        = new_producer(&st, mirror_dr_cb, NULL);
        out_parts   = topic_partitions(prod, o.to_topic, "--to-topic");
        st.consumer = new_consumer();
        in_parts    = topic_partitions(st.consumer, o.topic, "--topic");
        if (o.keep_partition && out_parts < in_parts)
                die("--out-partition keep needs --to-topic '%s' to have at least as many partitions "
                    "as --topic '%s' (%d < %d); create it larger or pass --out-partition any",
                    o.to_topic, o.topic, out_parts, in_parts);
        vlog("mirroring '%s' (%d partitions) to '%s' (%d partitions)", o.topic, in_parts, o.to_topic,
             out_parts);
        out  = rd_kafka_topic_new(prod, o.to_topic, NULL);
        rkqu = rd_kafka_queue_get_consumer(st.consumer);
        msgs = calloc((size_t)o.batch, sizeof(*msgs));
        if (!msgs || !out)
                die("out of memory");

        last_progress = now_s();
        while (st.acked + st.failed < o.count && !interrupted) {
                ssize_t got = 0, i;
                if (n < o.count) {
                        size_t want = started ? (size_t)(o.batch < o.count - n ? o.batch : o.count - n) : 1;
                        /* Short timeout: delivery reports must be served meanwhile. */
                        got = rd_kafka_consume_batch_queue(rkqu, 10, msgs, want);
                        if (got < 0)
                                die("rd_kafka_consume_batch_queue: %s",
                                    rd_kafka_err2str(rd_kafka_last_error()));
                }
                if (got > 0) {
                        struct mirror_batch *b;
                        long k = 0;
                        if (!started) {
                                window_open(&w);
                                started = 1;
                        }
                        b = malloc(sizeof(*b) + (size_t)got * sizeof(b->entries[0]));
                        if (!b)
                                die("out of memory");
                        b->next    = NULL;
                        b->pending = 0;
                        for (i = 0; i < got; i++) {
                                rd_kafka_message_t *m = msgs[i];
                                rd_kafka_headers_t *hdrs = NULL;
                                rd_kafka_timestamp_type_t tstype;
                                int64_t ts;
                                rd_kafka_resp_err_t err;
                                if (m->err || n >= o.count) {
                                        if (m->err)
                                                consumer_error(m);
                                        rd_kafka_message_destroy(m);
                                        continue;
                                }
                                if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR)
                                        hdrs = rd_kafka_headers_copy(hdrs);
                                else
                                        hdrs = NULL;
                                ts = rd_kafka_message_timestamp(m, &tstype);
                                b->entries[k].msg   = m;
                                b->entries[k].batch = b;
                                offsets_note(&offs, m);
                                bytes += (long long)(m->len + m->key_len);
                                for (;;) {
                                        err = rd_kafka_producev(
                                            prod, RD_KAFKA_V_RKT(out),
                                            RD_KAFKA_V_PARTITION(o.keep_partition ? m->partition
                                                                                  : RD_KAFKA_PARTITION_UA),
                                            RD_KAFKA_V_VALUE(m->payload, m->len),
                                            RD_KAFKA_V_KEY(m->key, m->key_len),
                                            RD_KAFKA_V_TIMESTAMP(ts > 0 ? ts : 0),
                                            RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_OPAQUE(&b->entries[k]),
                                            RD_KAFKA_V_MSGFLAGS(0), RD_KAFKA_V_END);
                                        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                                break;
                                        /* ENOBUFS: serve delivery reports until there is room. */
                                        rd_kafka_poll(prod, 10);
                                        mirror_retire(&st);
                                        if (interrupted)
                                                die("interrupted");
                                }
                                if (err)
                                        die("rd_kafka_producev to '%s' partition %" PRId32 ": %s",
                                            o.to_topic, m->partition, rd_kafka_err2str(err));
                                b->pending++;
                                k++;
                                n++;
                        }
                        b->offsets = offsets_take(&offs);
                        if (st.tail)
                                st.tail->next = b;
                        else
                                st.head = b;
                        st.tail = b;
                        st.inflight_batches++;
                        last_progress = now_s();
                }
                {
                        long long before = st.acked + st.failed;
                        /* Block briefly only once everything is consumed. */
                        rd_kafka_poll(prod, n < o.count ? 0 : 10);
                        mirror_retire(&st);
                        if (st.acked + st.failed != before)
                                last_progress = now_s();
                }
                progress_tick(&prog, "mirrored", st.acked);
                if (now_s() - last_progress > (double)o.idle_timeout_s)
                        die("mirror stalled for %ld s (--idle-timeout): %lld of %lld consumed from "
                            "'%s', %lld delivered to '%s'",
                            o.idle_timeout_s, n, o.count, o.topic, st.acked, o.to_topic);
        }
        if (interrupted)
                die("interrupted after %lld of %lld delivered", st.acked, o.count);
        window_close(&w);
        if (st.failed)
                die("%lld of %lld messages failed delivery to '%s', first error: %s", st.failed,
                    o.count, o.to_topic, rd_kafka_err2str(st.first_err));
        mirror_retire(&st);
        w.records = st.acked;
        w.bytes   = bytes;
        free(msgs);
        offsets_free(&offs);
        rd_kafka_topic_destroy(out);
        rd_kafka_flush(prod, 10000);
        rd_kafka_destroy(prod);
        rd_kafka_queue_destroy(rkqu);
        consumer_close(st.consumer);
        print_result(&w);
        return 0;
}

int main(int argc, char **argv) {
        struct sigaction sa;
        parse_args(argc, argv);
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        vlog("librdkafka %s, mode %s", rd_kafka_version_str(), MODE_NAMES[o.mode]);
        switch (o.mode) {
        case MODE_CONSUME: return run_consume();
        case MODE_PRODUCE: return run_produce();
        case MODE_MIRROR: return run_mirror();
        }
        return 1;
}

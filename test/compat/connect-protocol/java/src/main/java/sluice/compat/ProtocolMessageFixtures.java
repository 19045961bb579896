package sluice.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestDataJsonConverter;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseDataJsonConverter;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestDataJsonConverter;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseDataJsonConverter;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatRequestDataJsonConverter;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatResponseDataJsonConverter;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestDataJsonConverter;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseDataJsonConverter;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestDataJsonConverter;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseDataJsonConverter;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestDataJsonConverter;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslAuthenticateResponseDataJsonConverter;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestDataJsonConverter;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseDataJsonConverter;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestDataJsonConverter;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseDataJsonConverter;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.utils.AppInfoParser;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serializes request and response bodies of the group and SASL APIs with Apache Kafka's generated
 * message classes, at the versions sluice speaks, and writes each with its JSON form (Kafka's own
 * *JsonConverter: camelCase field names, bytes as base64) for sluice's codec tests.
 * Usage: ProtocolMessageFixtures <messages.json>
 */
public final class ProtocolMessageFixtures {
    private static final List<Map<String, Object>> CASES = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        byte[] meta1 = "sessioned-metadata".getBytes(StandardCharsets.UTF_8);
        byte[] meta2 = new byte[] {0, 1, 2, (byte) 0xff};

        ApiVersionsRequestData avReq = new ApiVersionsRequestData().setClientSoftwareName("sluice").setClientSoftwareVersion("0.1.0");
        add("ApiVersions", "request", 3, avReq, ApiVersionsRequestDataJsonConverter.write(avReq, (short) 3));
        ApiVersionsResponseData avRes = new ApiVersionsResponseData().setErrorCode((short) 0).setThrottleTimeMs(3)
                .setFinalizedFeaturesEpoch(12L).setZkMigrationReady(true);
        avRes.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 11).setMinVersion((short) 2).setMaxVersion((short) 9));
        avRes.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 14).setMinVersion((short) 0).setMaxVersion((short) 5));
        avRes.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey().setName("metadata.version").setMinVersion((short) 7).setMaxVersion((short) 27));
        add("ApiVersions", "response", 3, avRes, ApiVersionsResponseDataJsonConverter.write(avRes, (short) 3));

        FindCoordinatorRequestData fcReq = new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("connect-cluster"));
        add("FindCoordinator", "request", 4, fcReq, FindCoordinatorRequestDataJsonConverter.write(fcReq, (short) 4));
        FindCoordinatorResponseData fcRes = new FindCoordinatorResponseData().setThrottleTimeMs(0).setCoordinators(List.of(
                new FindCoordinatorResponseData.Coordinator().setKey("connect-cluster").setNodeId(2).setHost("broker-2.example").setPort(9092)
                        .setErrorCode((short) 0).setErrorMessage(null),
                new FindCoordinatorResponseData.Coordinator().setKey("other").setNodeId(-1).setHost("").setPort(-1)
                        .setErrorCode((short) 15).setErrorMessage("The coordinator is not available.")));
        add("FindCoordinator", "response", 4, fcRes, FindCoordinatorResponseDataJsonConverter.write(fcRes, (short) 4));

        JoinGroupRequestData jgReq = new JoinGroupRequestData().setGroupId("connect-cluster").setSessionTimeoutMs(10000)
                .setRebalanceTimeoutMs(60000).setMemberId("").setGroupInstanceId(null).setProtocolType("connect").setReason("initial join");
        jgReq.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("sessioned").setMetadata(meta1));
        jgReq.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("compatible").setMetadata(meta2));
        add("JoinGroup", "request", 9, jgReq, JoinGroupRequestDataJsonConverter.write(jgReq, (short) 9));
        JoinGroupResponseData jgRes = new JoinGroupResponseData().setThrottleTimeMs(0).setErrorCode((short) 0).setGenerationId(4)
                .setProtocolType("connect").setProtocolName("sessioned").setLeader("sluice-1-a").setSkipAssignment(false).setMemberId("sluice-1-a")
                .setMembers(List.of(
                        new JoinGroupResponseData.JoinGroupResponseMember().setMemberId("sluice-1-a").setGroupInstanceId(null).setMetadata(meta1),
                        new JoinGroupResponseData.JoinGroupResponseMember().setMemberId("sluice-2-b").setGroupInstanceId("static-2").setMetadata(meta2)));
        add("JoinGroup", "response", 9, jgRes, JoinGroupResponseDataJsonConverter.write(jgRes, (short) 9));
        JoinGroupResponseData jgRequired = new JoinGroupResponseData().setErrorCode((short) 79).setGenerationId(-1)
                .setProtocolType(null).setProtocolName(null).setLeader("").setMemberId("sluice-3-c");
        add("JoinGroup", "response", 9, jgRequired, JoinGroupResponseDataJsonConverter.write(jgRequired, (short) 9));

        SyncGroupRequestData sgReq = new SyncGroupRequestData().setGroupId("connect-cluster").setGenerationId(4).setMemberId("sluice-1-a")
                .setGroupInstanceId(null).setProtocolType("connect").setProtocolName("sessioned").setAssignments(List.of(
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("sluice-1-a").setAssignment(meta2),
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("sluice-2-b").setAssignment(new byte[0])));
        add("SyncGroup", "request", 5, sgReq, SyncGroupRequestDataJsonConverter.write(sgReq, (short) 5));
        SyncGroupResponseData sgRes = new SyncGroupResponseData().setThrottleTimeMs(0).setErrorCode((short) 0)
                .setProtocolType("connect").setProtocolName("sessioned").setAssignment(meta1);
        add("SyncGroup", "response", 5, sgRes, SyncGroupResponseDataJsonConverter.write(sgRes, (short) 5));

        HeartbeatRequestData hbReq = new HeartbeatRequestData().setGroupId("connect-cluster").setGenerationId(4).setMemberId("sluice-2-b").setGroupInstanceId(null);
        add("Heartbeat", "request", 4, hbReq, HeartbeatRequestDataJsonConverter.write(hbReq, (short) 4));
        HeartbeatResponseData hbRes = new HeartbeatResponseData().setThrottleTimeMs(0).setErrorCode((short) 27);
        add("Heartbeat", "response", 4, hbRes, HeartbeatResponseDataJsonConverter.write(hbRes, (short) 4));

        LeaveGroupRequestData lgReq = new LeaveGroupRequestData().setGroupId("connect-cluster").setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId("sluice-2-b").setGroupInstanceId(null).setReason("the worker is stopping")));
        add("LeaveGroup", "request", 5, lgReq, LeaveGroupRequestDataJsonConverter.write(lgReq, (short) 5));
        LeaveGroupResponseData lgRes = new LeaveGroupResponseData().setThrottleTimeMs(0).setErrorCode((short) 0).setMembers(List.of(
                new LeaveGroupResponseData.MemberResponse().setMemberId("sluice-2-b").setGroupInstanceId(null).setErrorCode((short) 25)));
        add("LeaveGroup", "response", 5, lgRes, LeaveGroupResponseDataJsonConverter.write(lgRes, (short) 5));

        SaslHandshakeRequestData shReq = new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512");
        add("SaslHandshake", "request", 1, shReq, SaslHandshakeRequestDataJsonConverter.write(shReq, (short) 1));
        SaslHandshakeResponseData shRes = new SaslHandshakeResponseData().setErrorCode((short) 33).setMechanisms(List.of("PLAIN", "SCRAM-SHA-256"));
        add("SaslHandshake", "response", 1, shRes, SaslHandshakeResponseDataJsonConverter.write(shRes, (short) 1));

        SaslAuthenticateRequestData saReq = new SaslAuthenticateRequestData().setAuthBytes("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
        add("SaslAuthenticate", "request", 2, saReq, SaslAuthenticateRequestDataJsonConverter.write(saReq, (short) 2));
        SaslAuthenticateResponseData saRes = new SaslAuthenticateResponseData().setErrorCode((short) 58).setErrorMessage("Authentication failed: Invalid username or password")
                .setAuthBytes(new byte[0]).setSessionLifetimeMs(3600000L);
        add("SaslAuthenticate", "response", 2, saRes, SaslAuthenticateResponseDataJsonConverter.write(saRes, (short) 2));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kafkaVersion", AppInfoParser.getVersion());
        out.put("javaVersion", System.getProperty("java.version"));
        out.put("cases", CASES);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(new File(args[0]), out);
    }

    private static void add(String api, String direction, int version, Message message, JsonNode json) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, (short) version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        message.write(new ByteBufferAccessor(buffer), cache, (short) version);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("api", api);
        c.put("direction", direction);
        c.put("version", version);
        c.put("value", json);
        c.put("hex", HexFormat.of().formatHex(buffer.array()));
        CASES.add(c);
    }
}

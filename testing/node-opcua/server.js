#!/usr/bin/env node
/*
 * An independent OPC UA server (node-opcua) for the OPC Scraper integration tests.
 *
 * Usage: node server.js --port N [--pki DIR]
 *
 * - binds 127.0.0.1 only; endpoint opc.tcp://127.0.0.1:N/UA/NodeOpcUa
 * - security None, Basic256Sha256 Sign and SignAndEncrypt; anonymous allowed;
 *   client certificates are accepted automatically (it is a test server)
 * - its own address space in namespace "urn:opcscraper:test:node-opcua" (see README.md)
 * - prints exactly one line "LISTENING <port>" to stdout when it accepts connections;
 *   everything else goes to stderr
 * - SIGTERM / SIGINT: shuts down and exits 0
 * - exit codes: 0 normal, 1 start failure, 2 usage error, 3 port in use (EADDRINUSE)
 *
 * Certificates: node-opcua creates a self-signed server certificate in --pki on first start
 * and reuses it afterwards (same DIR = same server identity across restarts). Without --pki
 * a temporary directory is used and deleted on exit.
 */
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const util = require("node:util");

// node-opcua logs its warnings with console.log: send all of it to stderr, so that stdout
// carries only the LISTENING line.
for (const method of ["log", "info", "debug"]) {
    console[method] = (...items) => process.stderr.write(`${util.format(...items)}\n`);
}

const NAMESPACE_URI = "urn:opcscraper:test:node-opcua";
const TYPES_URI = "urn:opcscraper:test:node-opcua:types";
const RESOURCE_PATH = "/UA/NodeOpcUa";
const HOST = "127.0.0.1";
const EXIT_USAGE = 2;
const EXIT_PORT_IN_USE = 3;

function log(message) {
    process.stderr.write(`[node-opcua-server] ${message}\n`);
}

function usage(message) {
    if (message) {
        log(message);
    }
    log("usage: node server.js --port N [--pki DIR]");
    process.exit(EXIT_USAGE);
}

function parseArgs(argv) {
    const args = { port: undefined, pki: undefined };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const next = () => {
            if (i + 1 >= argv.length) {
                usage(`missing value after ${arg}`);
            }
            return argv[++i];
        };
        if (arg === "--port") {
            args.port = Number(next());
        } else if (arg.startsWith("--port=")) {
            args.port = Number(arg.substring("--port=".length));
        } else if (arg === "--pki") {
            args.pki = next();
        } else if (arg.startsWith("--pki=")) {
            args.pki = arg.substring("--pki=".length);
        } else if (arg === "--help" || arg === "-h") {
            usage();
        } else {
            usage(`unknown argument: ${arg}`);
        }
    }
    if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) {
        usage("--port must be an integer between 1 and 65535");
    }
    return args;
}

const args = parseArgs(process.argv.slice(2));

let opcua;
try {
    opcua = require("node-opcua");
} catch (err) {
    log(`cannot load node-opcua (${err.message}): run: npm ci --prefix testing/node-opcua`);
    process.exit(1);
}
const {
    OPCUAServer,
    OPCUACertificateManager,
    DataType,
    DataValue,
    Variant,
    VariantArrayType,
    StatusCodes,
    nodesets,
    SecurityPolicy,
    MessageSecurityMode,
    RegisterServerMethod
} = opcua;

// --- PKI -------------------------------------------------------------------------------
let pkiDir = args.pki;
let pkiIsTemporary = false;
if (!pkiDir) {
    pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), "opcscraper-node-opcua-pki-"));
    pkiIsTemporary = true;
}
pkiDir = path.resolve(pkiDir);
fs.mkdirSync(pkiDir, { recursive: true });

// --- Address space -----------------------------------------------------------------------

/** Seconds since the epoch, with millisecond resolution: values change on every read. */
function seconds() {
    return Date.now() / 1000;
}

function wave(period, phase) {
    return Math.sin((2 * Math.PI * seconds()) / period + phase);
}

function addVariable(ns, parent, browseName, dataType, getter, extra) {
    const nodeId = `s=${parent.nodeId.value}.${browseName}`;
    return ns.addVariable({
        componentOf: parent,
        browseName,
        nodeId,
        dataType,
        minimumSamplingInterval: 100,
        value: { get: () => new Variant({ dataType: DataType[dataType], value: getter() }) },
        ...extra
    });
}

function addObject(ns, parent, browseName, relation = "componentOf") {
    return ns.addObject({
        [relation]: parent,
        browseName,
        nodeId: `s=${parent.nodeId.namespace === ns.index ? `${parent.nodeId.value}.` : ""}${browseName}`
    });
}

function addFolder(ns, parent, browseName) {
    return ns.addFolder(parent, {
        browseName,
        nodeId: `s=${parent.nodeId.namespace === ns.index ? `${parent.nodeId.value}.` : ""}${browseName}`
    });
}

const timers = [];

function buildBoiler(ns, factory, index) {
    const boiler = addObject(ns, factory, `Boiler${index}`, "organizedBy");
    const phase = index;
    addVariable(ns, boiler, "Temperature", "Double", () => 80 + 10 * index + 5 * wave(60, phase) + (Date.now() % 1000) / 1000);
    addVariable(ns, boiler, "Level", "Float", () => Math.fround(50 + 20 * wave(120, phase)));

    const pump = addObject(ns, boiler, "Pump");
    addVariable(ns, pump, "Running", "Boolean", () => wave(30, phase) > -0.5);
    addVariable(ns, pump, "Speed", "Int32", () => Math.round(1400 + 100 * wave(30, phase)));

    let counter = 0;
    const counterVariable = ns.addVariable({
        componentOf: boiler,
        browseName: "Counter",
        nodeId: `s=${boiler.nodeId.value}.Counter`,
        dataType: "UInt32",
        minimumSamplingInterval: 100,
        value: new Variant({ dataType: DataType.UInt32, value: 0 })
    });
    const timer = setInterval(() => {
        counter = (counter + 1) >>> 0;
        counterVariable.setValueFromSource(new Variant({ dataType: DataType.UInt32, value: counter }));
    }, 100);
    timers.push(timer);

    addVariable(ns, boiler, "Label", "String", () => `Boiler ${index}`);
    ns.addVariable({
        componentOf: boiler,
        browseName: "Samples",
        nodeId: `s=${boiler.nodeId.value}.Samples`,
        dataType: "Double",
        valueRank: 1,
        arrayDimensions: [4],
        minimumSamplingInterval: 100,
        value: {
            get: () => {
                const t = seconds();
                return new Variant({
                    dataType: DataType.Double,
                    arrayType: VariantArrayType.Array,
                    value: new Float64Array([t % 10, Math.sin(t), Math.cos(t), index])
                });
            }
        }
    });
    return boiler;
}

/**
 * Factory/Historian/H1..H5: Doubles that keep their history (node-opcua's own in-memory historian,
 * installHistoricalDataNode): AccessLevel and UserAccessLevel CurrentRead | HistoryRead,
 * Historizing true. Each counts up every 100 ms through setValueFromSource (the historian records
 * only values set that way), source timestamp the time of the update. The history holds the
 * last HISTORY_VALUES values of each and begins when the process starts: a restart loses it.
 */
const HISTORY_VALUES = 20000;

function buildHistorian(ns, addressSpace, factory) {
    const historian = addObject(ns, factory, "Historian", "organizedBy");
    for (let h = 1; h <= 5; h++) {
        const variable = ns.addVariable({
            componentOf: historian,
            browseName: `H${h}`,
            nodeId: `s=${historian.nodeId.value}.H${h}`,
            dataType: "Double",
            minimumSamplingInterval: 100,
            historizing: true,
            accessLevel: "CurrentRead | HistoryRead",
            userAccessLevel: "CurrentRead | HistoryRead",
            value: new Variant({ dataType: DataType.Double, value: 0 })
        });
        addressSpace.installHistoricalDataNode(variable, { maxOnlineValues: HISTORY_VALUES });
        let count = 0;
        timers.push(setInterval(() => {
            count++;
            variable.setValueFromSource(new Variant({ dataType: DataType.Double, value: h * 1e6 + count }),
                StatusCodes.Good, new Date());
        }, 100));
    }
}

// --- Structure types ----------------------------------------------------------------------

/**
 * The custom data types, described here and turned into a NodeSet2 document when the server starts:
 * node-opcua gives a data type a "Default Binary" encoding (and serves its DataTypeDefinition) when
 * the type comes from a nodeset; namespace.createDataType alone makes no encoding.
 */
const TYPES = [
    { name: "PumpMode", id: 3000, values: ["Off", "Auto", "Manual"] },
    { name: "PumpStatus", id: 3001, encoding: 5001, fields: [
        { name: "Speed", type: "Double" }, { name: "Pressure", type: "Float" }, { name: "Running", type: "Boolean" },
        { name: "Mode", type: "ns=1;i=3000" }, { name: "Label", type: "String" }] },
    { name: "PumpReport", id: 3002, encoding: 5002, fields: [
        { name: "Status", type: "ns=1;i=3001" }, { name: "Readings", type: "Double", valueRank: 1 },
        { name: "Count", type: "UInt32" }] }
];

function xmlEscape(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function typesNodeSet() {
    const out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<UANodeSet xmlns="http://opcfoundation.org/UA/2011/03/UANodeSet.xsd">',
        `  <NamespaceUris><Uri>${xmlEscape(TYPES_URI)}</Uri></NamespaceUris>`,
        "  <Aliases>",
        '    <Alias Alias="Boolean">i=1</Alias><Alias Alias="UInt32">i=7</Alias><Alias Alias="Float">i=10</Alias>',
        '    <Alias Alias="Double">i=11</Alias><Alias Alias="String">i=12</Alias><Alias Alias="LocalizedText">i=21</Alias>',
        '    <Alias Alias="HasEncoding">i=38</Alias><Alias Alias="HasSubtype">i=45</Alias>',
        '    <Alias Alias="HasTypeDefinition">i=40</Alias><Alias Alias="HasProperty">i=46</Alias>',
        "  </Aliases>"
    ];
    for (const type of TYPES) {
        const id = `ns=1;i=${type.id}`;
        if (type.values) {
            const strings = `ns=1;i=${type.id + 100}`;
            out.push(`  <UADataType NodeId="${id}" BrowseName="1:${xmlEscape(type.name)}">`,
                `    <DisplayName>${xmlEscape(type.name)}</DisplayName>`,
                `    <References><Reference ReferenceType="HasSubtype" IsForward="false">i=29</Reference>`,
                `      <Reference ReferenceType="HasProperty">${strings}</Reference></References>`,
                `    <Definition Name="1:${xmlEscape(type.name)}">`
                    + type.values.map((v, i) => `<Field Name="${xmlEscape(v)}" Value="${i}"/>`).join("") + "</Definition>",
                "  </UADataType>",
                `  <UAVariable NodeId="${strings}" BrowseName="EnumStrings" ParentNodeId="${id}" DataType="LocalizedText"`
                    + ` ValueRank="1" ArrayDimensions="${type.values.length}">`,
                "    <DisplayName>EnumStrings</DisplayName>",
                '    <References><Reference ReferenceType="HasTypeDefinition">i=68</Reference>',
                `      <Reference ReferenceType="HasProperty" IsForward="false">${id}</Reference></References>`,
                '    <Value><ListOfLocalizedText xmlns="http://opcfoundation.org/UA/2008/02/Types.xsd">'
                    + type.values.map((v) => `<LocalizedText><Locale></Locale><Text>${xmlEscape(v)}</Text></LocalizedText>`).join("")
                    + "</ListOfLocalizedText></Value>",
                "  </UAVariable>");
            continue;
        }
        const encoding = `ns=1;i=${type.encoding}`;
        out.push(`  <UADataType NodeId="${id}" BrowseName="1:${xmlEscape(type.name)}">`,
            `    <DisplayName>${xmlEscape(type.name)}</DisplayName>`,
            '    <References><Reference ReferenceType="HasSubtype" IsForward="false">i=22</Reference>',
            `      <Reference ReferenceType="HasEncoding">${encoding}</Reference></References>`,
            `    <Definition Name="1:${xmlEscape(type.name)}">`
                + type.fields.map((f) => `<Field Name="${xmlEscape(f.name)}" DataType="${xmlEscape(f.type)}"`
                    + (f.valueRank ? ` ValueRank="${f.valueRank}"` : "") + "/>").join("") + "</Definition>",
            "  </UADataType>",
            `  <UAObject NodeId="${encoding}" BrowseName="Default Binary" SymbolicName="DefaultBinary">`,
            "    <DisplayName>Default Binary</DisplayName>",
            '    <References><Reference ReferenceType="HasTypeDefinition">i=76</Reference></References>',
            "  </UAObject>");
    }
    out.push("</UANodeSet>", "");
    return out.join("\n");
}

/** Structures/Pump1: a PumpStatus and a PumpReport (a nested PumpStatus, a Double array), new values on every read. */
function buildStructures(addressSpace, ns, objects) {
    const typesIndex = addressSpace.getNamespaceIndex(TYPES_URI);
    const statusType = addressSpace.findDataType("PumpStatus", typesIndex);
    const reportType = addressSpace.findDataType("PumpReport", typesIndex);
    const status = () => ({
        speed: 1450 + 50 * wave(60, 0), pressure: Math.fround(2 + wave(30, 1)), running: wave(30, 2) > -0.5,
        mode: Math.floor(seconds()) % 3, label: "Pump 1"
    });
    const structures = addFolder(ns, objects, "Structures");
    const pump = addObject(ns, structures, "Pump1", "organizedBy");
    const structureVariable = (browseName, dataType, value) => ns.addVariable({
        componentOf: pump,
        browseName,
        nodeId: `s=${pump.nodeId.value}.${browseName}`,
        dataType,
        minimumSamplingInterval: 100,
        value: { get: () => new Variant({ dataType: DataType.ExtensionObject, value: addressSpace.constructExtensionObject(dataType, value()) }) }
    });
    structureVariable("Status", statusType, status);
    structureVariable("Report", reportType, () => ({
        status: status(), readings: [seconds() % 10, wave(20, 3), 42], count: Math.floor(seconds()) >>> 0
    }));
}

function buildAddressSpace(server) {
    const addressSpace = server.engine.addressSpace;
    const ns = addressSpace.registerNamespace(NAMESPACE_URI);
    const objects = addressSpace.rootFolder.objects;

    const factory = addFolder(ns, objects, "Factory");
    const boiler1 = buildBoiler(ns, factory, 1);
    buildBoiler(ns, factory, 2);

    // A variable whose every read returns a Bad status.
    ns.addVariable({
        componentOf: boiler1,
        browseName: "Broken",
        nodeId: `s=${boiler1.nodeId.value}.Broken`,
        dataType: "Double",
        minimumSamplingInterval: 100,
        value: {
            timestamped_get: () =>
                new DataValue({
                    statusCode: StatusCodes.BadCommunicationError,
                    sourceTimestamp: new Date(),
                    serverTimestamp: new Date()
                })
        }
    });

    buildHistorian(ns, addressSpace, factory);

    // Depth for browsing: Factory/Area{1..5}/Tank{1..10}/{Level,Temperature,Pressure,ValveOpen}.
    for (let a = 1; a <= 5; a++) {
        const area = addFolder(ns, factory, `Area${a}`);
        for (let t = 1; t <= 10; t++) {
            const tank = addObject(ns, area, `Tank${t}`, "organizedBy");
            const phase = a * 10 + t;
            addVariable(ns, tank, "Level", "Double", () => 50 + 40 * wave(90, phase));
            addVariable(ns, tank, "Temperature", "Double", () => 20 + a + t / 10 + 2 * wave(45, phase));
            addVariable(ns, tank, "Pressure", "Float", () => Math.fround(1 + 0.2 * wave(20, phase)));
            addVariable(ns, tank, "ValveOpen", "Boolean", () => wave(40, phase) > 0);
        }
    }

    let variables = 0;
    const count = (node) => {
        for (const ref of node.findReferencesEx("HierarchicalReferences")) {
            const child = addressSpace.findNode(ref.nodeId);
            if (child && child.nodeId.namespace === ns.index) {
                if (child.nodeClass === opcua.NodeClass.Variable) {
                    variables++;
                }
                count(child);
            }
        }
    };
    count(factory);
    log(`namespace ${NAMESPACE_URI} = ns=${ns.index}, ${variables} variables under Objects/Factory`);
    buildStructures(addressSpace, ns, objects);
}

// --- Server ------------------------------------------------------------------------------

async function main() {
    const serverCertificateManager = new OPCUACertificateManager({
        rootFolder: path.join(pkiDir, "server"),
        automaticallyAcceptUnknownCertificate: true
    });
    const userCertificateManager = new OPCUACertificateManager({
        rootFolder: path.join(pkiDir, "user"),
        automaticallyAcceptUnknownCertificate: true
    });

    const typesFile = path.join(pkiDir, "structure-types.NodeSet2.xml");
    fs.writeFileSync(typesFile, typesNodeSet());
    const server = new OPCUAServer({
        nodeset_filename: [nodesets.standard, typesFile],
        port: args.port,
        host: HOST, // the address the socket binds to
        hostname: HOST, // the host name in the endpoint URLs
        alternateHostname: [HOST], // no extra endpoint, but puts IP 127.0.0.1 in the certificate's SAN
        resourcePath: RESOURCE_PATH,
        securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
        securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
        allowAnonymous: true,
        registerServerMethod: RegisterServerMethod.HIDDEN, // no LDS, no mDNS
        serverCertificateManager,
        userCertificateManager,
        serverInfo: {
            applicationUri: "urn:opcscraper:test:node-opcua:server",
            productUri: "urn:opcscraper:test:node-opcua",
            applicationName: { text: "OPC Scraper test server (node-opcua)", locale: "en" }
        },
        buildInfo: {
            productName: "OPC Scraper test server (node-opcua)",
            manufacturerName: "OPC Scraper"
        }
    });

    let stopping = false;
    const stop = async (signal) => {
        if (stopping) {
            return;
        }
        stopping = true;
        log(`${signal}: shutting down`);
        const hardStop = setTimeout(() => {
            log("shutdown took more than 5 s, exiting");
            cleanup();
            process.exit(0);
        }, 5000);
        hardStop.unref();
        timers.forEach(clearInterval);
        try {
            await server.shutdown(0);
        } catch (err) {
            log(`shutdown error: ${err.message}`);
        }
        cleanup();
        process.exit(0);
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));

    const started = Date.now();
    await server.initialize();
    buildAddressSpace(server);
    try {
        await server.start();
    } catch (err) {
        if (err && (err.code === "EADDRINUSE" || /EADDRINUSE/.test(String(err.message)))) {
            log(`port ${args.port} is in use on ${HOST}: ${err.message}`);
            cleanup();
            process.exit(EXIT_PORT_IN_USE);
        }
        throw err;
    }
    for (const endpoint of server.endpoints) {
        for (const description of endpoint.endpointDescriptions()) {
            log(`endpoint ${description.endpointUrl} ${description.securityPolicyUri.split("#")[1]} ${MessageSecurityMode[description.securityMode]}`);
        }
    }
    log(`started in ${Date.now() - started} ms, pki ${pkiDir}`);
    // The one line on stdout: the readiness signal for scripts and the Java test fixture.
    process.stdout.write(`LISTENING ${args.port}\n`);
}

function cleanup() {
    if (pkiIsTemporary) {
        try {
            fs.rmSync(pkiDir, { recursive: true, force: true });
        } catch (err) {
            log(`cannot delete ${pkiDir}: ${err.message}`);
        }
    }
}

main().catch((err) => {
    log(`start failed: ${err && err.stack ? err.stack : err}`);
    cleanup();
    process.exit(1);
});

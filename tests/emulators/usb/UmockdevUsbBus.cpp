// SPDX-License-Identifier: Apache-2.0
#include "UmockdevUsbBus.h"

#include <umockdev.h>

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <set>
#include <stdexcept>

namespace flashplan::emu {

std::vector<std::uint8_t> usbStringDescriptor(const std::string& text) {
    std::vector<std::uint8_t> d = {static_cast<std::uint8_t>(2 + 2 * text.size()), 3};
    for (char c : text) {
        d.push_back(static_cast<std::uint8_t>(c));
        d.push_back(0);
    }
    return d;
}

namespace {

/// A bulk IN URB waiting for the device's next packet.
struct PendingIn {
    UMockdevIoctlData* urb;    ///< the client's struct usbdevfs_urb (referenced)
    UMockdevIoctlData* buffer; ///< its data buffer (referenced)
    std::uint8_t endpoint;
};

usbdevfs_urb& urbOf(UMockdevIoctlData* d) {
    return *reinterpret_cast<usbdevfs_urb*>(d->data);
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    char b[3];
    for (std::uint8_t c : bytes) {
        std::snprintf(b, sizeof b, "%02x", c);
        out += b;
    }
    return out;
}

void complete(UMockdevIoctlClient* client, long result, int error) {
    umockdev_ioctl_client_complete(client, result, error);
}

/// The endpoint addresses the configuration declares (its endpoint descriptors, after the 18 bytes of
/// the device descriptor): the kernel refuses URBs to any other.
std::set<std::uint8_t> endpointsOf(const std::vector<std::uint8_t>& descriptors) {
    std::set<std::uint8_t> out;
    for (std::size_t i = 18; i + 2 < descriptors.size() && descriptors[i] >= 2; i += descriptors[i])
        if (descriptors[i + 1] == 5)
            out.insert(descriptors[i + 2]);
    return out;
}

} // namespace

/// One root port and the device on it, across its stays on the bus.
struct UmockdevUsbBus::Port {
    std::unique_ptr<EmulatedUsbDevice> device;
    int number = 0;
    std::string syspath;
    bool reenumerating = false; ///< one scheduled; the worker thread's alone
    mutable std::mutex mutex;   ///< guards what follows, which tests read
    int address = 0;
    bool gone = false;
    std::vector<std::unique_ptr<Node>> nodes; ///< one per stay on the bus; the last is the current one
};

/// One device node (/dev/bus/usb/001/NNN) and the URBs on it. A node outlives its device's stay on the
/// bus: a client may still hold it open, reaps what had completed, and gets ENODEV from then on.
struct UmockdevUsbBus::Node {
    UmockdevUsbBus* bus = nullptr;
    Port* port = nullptr;
    int address = 0;
    std::set<std::uint8_t> endpoints; ///< what the descriptors declared when it was added
    UMockdevIoctlBase* handler = nullptr;
    mutable std::mutex mutex;
    std::deque<UMockdevIoctlData*> completed; ///< URBs to reap, in order (referenced)
    std::list<PendingIn> pending;             ///< bulk IN URBs in submission order
    bool dead = false;

    ~Node() {
        for (UMockdevIoctlData* d : completed)
            g_object_unref(d);
        for (const PendingIn& p : pending) {
            g_object_unref(p.buffer);
            g_object_unref(p.urb);
        }
        if (handler)
            g_object_unref(handler);
    }

    /// Answers pending IN URBs, oldest first, while the device has packets. Called with `mutex` held.
    void servePending() {
        for (auto it = pending.begin(); it != pending.end();) {
            usbdevfs_urb& urb = urbOf(it->urb);
            auto packet = port->device->bulkIn(it->endpoint, static_cast<std::size_t>(urb.buffer_length));
            if (!packet)
                return; // later URBs wait behind the first one, as on one endpoint's queue
            const std::size_t n = std::min<std::size_t>(packet->size(), urb.buffer_length);
            if (n > 0) // a zero-length packet's data() may be null
                std::memcpy(it->buffer->data, packet->data(), n);
            urb.actual_length = static_cast<int>(n);
            urb.status = 0;
            completed.push_back(it->urb);
            g_object_unref(it->buffer);
            it = pending.erase(it);
        }
    }

    /// The device left: what was pending ends as Linux ends it on a disconnect. Called with `mutex` held.
    void shutDown() {
        for (const PendingIn& p : pending) {
            urbOf(p.urb).status = -ESHUTDOWN;
            urbOf(p.urb).actual_length = 0;
            completed.push_back(p.urb);
            g_object_unref(p.buffer);
        }
        pending.clear();
        dead = true;
    }
};

struct UsbBusCallbacks {
    using Node = UmockdevUsbBus::Node;

    static void submit(Node& node, UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
        GError* error = nullptr;
        UMockdevIoctlData* urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), &error);
        if (!urbData) {
            g_clear_error(&error);
            return complete(client, -1, EFAULT);
        }
        usbdevfs_urb& urb = urbOf(urbData);
        if (urb.buffer_length < 0)
            return complete(client, -1, EINVAL);
        UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(
            urbData, offsetof(usbdevfs_urb, buffer), static_cast<gsize>(urb.buffer_length), &error);
        if (!buffer) {
            g_clear_error(&error);
            return complete(client, -1, EFAULT);
        }
        // Only this (the worker) thread changes `dead`; the device is called without the node's lock,
        // since a control transfer may block (a test's hold) while the test looks at the bus.
        {
            std::lock_guard lock(node.mutex);
            if (node.dead)
                return complete(client, -1, ENODEV);
        }
        EmulatedUsbDevice& device = *node.port->device;
        urb.actual_length = 0;
        urb.status = 0;
        switch (urb.type) {
        case USBDEVFS_URB_TYPE_CONTROL: {
            if (urb.buffer_length < 8)
                return complete(client, -1, EINVAL);
            const std::uint8_t* s = buffer->data;
            const UsbSetup setup{s[0], s[1], static_cast<std::uint16_t>(s[2] | s[3] << 8),
                                 static_cast<std::uint16_t>(s[4] | s[5] << 8),
                                 static_cast<std::uint16_t>(s[6] | s[7] << 8)};
            const bool in = setup.requestType & 0x80;
            const std::size_t room = static_cast<std::size_t>(urb.buffer_length) - 8;
            std::span<const std::uint8_t> out;
            if (!in)
                out = std::span<const std::uint8_t>(buffer->data + 8,
                                                    std::min<std::size_t>(setup.length, room));
            const auto reply = device.control(setup, out);
            if (reply.gone) {
                urb.status = -ENODEV;
            } else if (reply.stall) {
                urb.status = -EPIPE;
            } else if (in) {
                const std::size_t n = std::min({reply.data.size(), std::size_t(setup.length), room});
                if (n > 0) // an empty reply's data() may be null, which memcpy must not get
                    std::memcpy(buffer->data + 8, reply.data.data(), n);
                urb.actual_length = static_cast<int>(n);
            } else {
                urb.actual_length = static_cast<int>(out.size());
            }
            break;
        }
        case USBDEVFS_URB_TYPE_BULK:
            if (!node.endpoints.contains(urb.endpoint))
                return complete(client, -1, ENOENT);
            if (urb.endpoint & 0x80) {
                std::lock_guard lock(node.mutex);
                g_object_ref(urbData);
                g_object_ref(buffer);
                node.pending.push_back(PendingIn{urbData, buffer, urb.endpoint});
                node.servePending();
                return complete(client, 0, 0);
            }
            if (device.bulkOut(urb.endpoint, std::span<const std::uint8_t>(
                                                 buffer->data, static_cast<std::size_t>(urb.buffer_length))))
                urb.actual_length = urb.buffer_length;
            else
                urb.status = -EPIPE;
            break;
        default:
            return complete(client, -1, EINVAL);
        }
        std::lock_guard lock(node.mutex);
        g_object_ref(urbData);
        node.completed.push_back(urbData);
        // A command just written may have produced the reply a pending IN URB waits for.
        node.servePending();
        complete(client, 0, 0);
    }

    static void reap(Node& node, UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
        UMockdevIoctlData* urb = nullptr;
        {
            std::lock_guard lock(node.mutex);
            if (!node.dead)
                node.servePending();
            if (node.completed.empty())
                return complete(client, -1, node.dead ? ENODEV : EAGAIN);
            urb = node.completed.front();
            node.completed.pop_front();
        }
        GError* error = nullptr;
        UMockdevIoctlData* target = umockdev_ioctl_data_resolve(arg, 0, sizeof(void*), &error);
        if (!target) {
            g_clear_error(&error);
            g_object_unref(urb);
            return complete(client, -1, EFAULT);
        }
        umockdev_ioctl_data_set_ptr(target, 0, urb);
        complete(client, 0, 0);
        g_object_unref(urb);
    }

    /// DISCARDURB's argument is the client's URB pointer itself.
    static void discard(Node& node, UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
        if (arg->data_len < static_cast<gint>(sizeof(gulong)))
            return complete(client, -1, EINVAL);
        gulong address = 0;
        std::memcpy(&address, arg->data, sizeof address);
        std::lock_guard lock(node.mutex);
        const auto it = std::find_if(node.pending.begin(), node.pending.end(),
                                     [&](const PendingIn& p) { return p.urb->client_addr == address; });
        if (it == node.pending.end())
            return complete(client, -1, EINVAL); // already completed: the client reaps it as it is
        urbOf(it->urb).status = -ENOENT;
        urbOf(it->urb).actual_length = 0;
        node.completed.push_back(it->urb);
        g_object_unref(it->buffer);
        node.pending.erase(it);
        complete(client, 0, 0);
    }

    static gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
        auto& node = *static_cast<Node*>(self);
        UmockdevUsbBus::Port& port = *node.port;
        EmulatedUsbDevice& device = *port.device;
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        bool dead;
        {
            std::lock_guard lock(node.mutex);
            dead = node.dead;
        }
        // Linux lets a client reap after a disconnect (what had completed, then ENODEV), nothing else.
        if (dead && request != USBDEVFS_REAPURB && request != USBDEVFS_REAPURBNDELAY) {
            complete(client, -1, ENODEV);
            return TRUE;
        }
        GError* error = nullptr;
        switch (request) {
        case USBDEVFS_SUBMITURB:
            submit(node, client, arg);
            break;
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY:
            reap(node, client, arg);
            break;
        case USBDEVFS_DISCARDURB:
            discard(node, client, arg);
            break;
        case USBDEVFS_GET_CAPABILITIES: {
            UMockdevIoctlData* caps = umockdev_ioctl_data_resolve(arg, 0, sizeof(std::uint32_t), &error);
            if (caps)
                *reinterpret_cast<std::uint32_t*>(caps->data) = 0;
            g_clear_error(&error);
            complete(client, caps ? 0 : -1, caps ? 0 : EFAULT);
            break;
        }
        case USBDEVFS_SETINTERFACE: {
            UMockdevIoctlData* s = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_setinterface), &error);
            g_clear_error(&error);
            const auto* set = s ? reinterpret_cast<const usbdevfs_setinterface*>(s->data) : nullptr;
            const bool ok = set && device.setInterface(static_cast<std::uint8_t>(set->interface),
                                                       static_cast<std::uint8_t>(set->altsetting));
            complete(client, ok ? 0 : -1, ok ? 0 : EINVAL);
            break;
        }
        case USBDEVFS_CONNECTINFO: {
            UMockdevIoctlData* c = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_connectinfo), &error);
            g_clear_error(&error);
            if (c) {
                auto* info = reinterpret_cast<usbdevfs_connectinfo*>(c->data);
                info->devnum = static_cast<unsigned>(node.address);
                info->slow = 0;
            }
            complete(client, c ? 0 : -1, c ? 0 : EFAULT);
            break;
        }
        case USBDEVFS_GET_SPEED:
            complete(client, device.speedMbps() >= 480 ? 3 : 2, 0); // USB_SPEED_HIGH / _FULL
            break;
        case USBDEVFS_RESET:
            device.portReset();
            complete(client, 0, 0);
            break;
        case USBDEVFS_GETDRIVER:
        case USBDEVFS_IOCTL:
            complete(client, -1, ENODATA); // no kernel driver is bound
            break;
        case USBDEVFS_CLAIMINTERFACE:
        case USBDEVFS_RELEASEINTERFACE:
        case USBDEVFS_DISCONNECT_CLAIM:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_SETCONFIGURATION:
            complete(client, 0, 0);
            break;
        default:
            complete(client, -1, ENOTTY);
            break;
        }
        if (dead)
            return TRUE;
        if (device.vanished()) {
            node.bus->vanish(port);
        } else if (!port.reenumerating && device.reenumerating()) {
            port.reenumerating = true;
            ++node.bus->scheduled_;
            schedule(node, 20, &UsbBusCallbacks::onReenumerate);
        }
        return TRUE;
    }

    /// Runs `fn` on the worker thread after `ms`, once the reply to the current request has gone out.
    static void schedule(Node& node, unsigned ms, GSourceFunc fn) {
        GSource* source = g_timeout_source_new(ms);
        g_source_set_callback(source, fn, &node, nullptr);
        g_source_attach(source, g_main_context_get_thread_default());
        g_source_unref(source);
    }

    static gboolean onReenumerate(gpointer self) {
        auto& node = *static_cast<Node*>(self);
        node.bus->reenumerate(*node.port);
        --node.bus->scheduled_;
        return G_SOURCE_REMOVE;
    }
};

UmockdevUsbBus::UmockdevUsbBus() : testbed_(umockdev_testbed_new()) {
}

UmockdevUsbBus::~UmockdevUsbBus() {
    // A re-enumeration still on its way would write into the testbed while it is being removed.
    for (int i = 0; i < 200 && scheduled_ > 0; ++i)
        g_usleep(5000);
    g_object_unref(testbed_);
}

std::string UmockdevUsbBus::root() const {
    gchar* dir = umockdev_testbed_get_root_dir(testbed_);
    std::string out = dir;
    g_free(dir);
    return out;
}

void UmockdevUsbBus::plugDevice(std::unique_ptr<EmulatedUsbDevice> device) {
    auto port = std::make_unique<Port>();
    port->device = std::move(device);
    port->number = static_cast<int>(ports_.size()) + 1;
    port->address = nextAddress_++;
    port->syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(port->number);
    ports_.push_back(std::move(port));
    attach(*ports_.back());
}

void UmockdevUsbBus::attach(Port& port) {
    auto node = std::make_unique<Node>();
    node->bus = this;
    node->port = &port;
    {
        std::lock_guard lock(port.mutex);
        node->address = port.address;
    }
    char number[12];
    std::snprintf(number, sizeof number, "%03d", node->address);
    const std::string devnode = std::string("/dev/bus/usb/001/") + number;
    const std::vector<std::uint8_t> descriptors = port.device->descriptors();
    const std::string description = "P: " + port.syspath.substr(4) + "\nN: bus/usb/001/" + number +
                                    "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=" + devnode +
                                    "\nE: BUSNUM=001\nE: DEVNUM=" + number +
                                    "\nA: busnum=1\\n\nA: devnum=" + std::to_string(node->address) +
                                    "\\n\nA: speed=" + std::to_string(port.device->speedMbps()) +
                                    "\\n\nA: bConfigurationValue=1\\n\n" +
                                    "H: descriptors=" + hex(descriptors) + "\n";
    node->endpoints = endpointsOf(descriptors);
    node->handler = umockdev_ioctl_base_new();
    g_signal_connect(node->handler, "handle-ioctl", G_CALLBACK(&UsbBusCallbacks::onIoctl), node.get());
    Node& current = *node;
    {
        // The current node before anyone can open it: a request on it may make the device vanish.
        std::lock_guard lock(port.mutex);
        port.nodes.push_back(std::move(node));
    }
    GError* error = nullptr;
    if (!umockdev_testbed_attach_ioctl(testbed_, devnode.c_str(), current.handler, &error)) {
        const std::string why = error ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev cannot serve " + devnode + ": " + why);
    }
    // Served before it is announced, so a client that opens it on the "add" event reaches this handler
    // and not umockdev's default one.
    if (!umockdev_testbed_add_from_string(testbed_, description.c_str(), &error)) {
        const std::string why = error ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev refused the emulated device: " + why);
    }
}

void UmockdevUsbBus::vanish(Port& port) {
    {
        std::lock_guard lock(port.mutex);
        if (port.gone)
            return;
        port.gone = true;
        Node& node = *port.nodes.back();
        std::lock_guard nodeLock(node.mutex);
        node.shutDown();
    }
    umockdev_testbed_uevent(testbed_, port.syspath.c_str(), "remove");
    umockdev_testbed_remove_device(testbed_, port.syspath.c_str());
}

void UmockdevUsbBus::reenumerate(Port& port) {
    {
        std::lock_guard lock(port.mutex);
        Node& node = *port.nodes.back();
        std::lock_guard nodeLock(node.mutex);
        node.shutDown();
    }
    umockdev_testbed_uevent(testbed_, port.syspath.c_str(), "remove");
    umockdev_testbed_remove_device(testbed_, port.syspath.c_str());
    port.device->reenumerate();
    {
        // Linux gives the next free address after the last one it gave, not the old one again.
        std::lock_guard lock(port.mutex);
        port.address = nextAddress_++;
    }
    attach(port);
    port.reenumerating = false;
}

bool UmockdevUsbBus::gone(std::size_t port) const {
    const Port& p = *ports_.at(port - 1);
    std::lock_guard lock(p.mutex);
    return p.gone;
}

std::string UmockdevUsbBus::path(std::size_t port) const {
    return "1-" + std::to_string(ports_.at(port - 1)->number);
}

int UmockdevUsbBus::address(std::size_t port) const {
    const Port& p = *ports_.at(port - 1);
    std::lock_guard lock(p.mutex);
    return p.address;
}

} // namespace flashplan::emu

// SPDX-License-Identifier: Apache-2.0
#include "UmockdevDfuBus.h"

#include <umockdev.h>

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

namespace flashplan::emu {

/// One device node (/dev/bus/usb/001/NNN) and the ioctls on it. A node outlives its device's stay on
/// the bus: a client may still hold it open, and gets ENODEV from then on.
struct UmockdevDfuBus::Node {
    UmockdevDfuBus* bus = nullptr;
    Port* port = nullptr;
    std::string devnode;
    UMockdevIoctlBase* handler = nullptr;
    std::mutex mutex;
    std::deque<UMockdevIoctlData*> completed; ///< URBs to reap, in order
    bool dead = false;

    ~Node() {
        for (UMockdevIoctlData* d : completed)
            g_object_unref(d);
        if (handler)
            g_object_unref(handler);
    }
};

struct UmockdevDfuBus::Port {
    std::unique_ptr<EmulatedDfuDevice> device;
    int number = 0;
    int address = 0;
    std::string syspath;
    std::vector<std::unique_ptr<Node>> nodes; ///< the last one is the current node
    bool gone = false;
    std::mutex mutex;
};

namespace {

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

/// One control URB: runs it on the device at once and queues it for reaping.
void submit(UmockdevDfuBus::Node& node, EmulatedDfuDevice& device, UMockdevIoctlClient* client,
            UMockdevIoctlData* arg) {
    GError* error = nullptr;
    UMockdevIoctlData* urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), &error);
    if (!urbData) {
        g_clear_error(&error);
        return complete(client, -1, EFAULT);
    }
    auto* urb = reinterpret_cast<usbdevfs_urb*>(urbData->data);
    if (urb->type != USBDEVFS_URB_TYPE_CONTROL || urb->buffer_length < 8)
        return complete(client, -1, EINVAL);
    UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(urbData, offsetof(usbdevfs_urb, buffer),
                                                            static_cast<gsize>(urb->buffer_length), &error);
    if (!buffer) {
        g_clear_error(&error);
        return complete(client, -1, EFAULT);
    }
    std::uint8_t* setupBytes = buffer->data;
    const usb::ControlSetup setup{setupBytes[0], setupBytes[1],
                                  static_cast<std::uint16_t>(setupBytes[2] | setupBytes[3] << 8),
                                  static_cast<std::uint16_t>(setupBytes[4] | setupBytes[5] << 8)};
    const std::uint16_t length = static_cast<std::uint16_t>(setupBytes[6] | setupBytes[7] << 8);
    const bool in = setup.requestType & 0x80;
    std::span<const std::uint8_t> out;
    if (!in)
        out = std::span<const std::uint8_t>(setupBytes + 8,
                                            std::min<std::size_t>(length, urb->buffer_length - 8));
    const EmulatedDfuDevice::Reply reply = device.control(setup, length, out);
    urb->actual_length = 0;
    if (reply.gone) {
        urb->status = -ENODEV;
    } else if (reply.stall) {
        urb->status = -EPIPE;
    } else {
        urb->status = 0;
        if (in) {
            const std::size_t n = std::min<std::size_t>(reply.data.size(), length);
            if (n > 0)
                std::memcpy(setupBytes + 8, reply.data.data(), n);
            urb->actual_length = static_cast<int>(n);
        } else {
            urb->actual_length = length;
        }
    }
    g_object_ref(urbData);
    {
        std::lock_guard lock(node.mutex);
        node.completed.push_back(urbData);
    }
    complete(client, 0, 0);
}

void reap(UmockdevDfuBus::Node& node, UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
    UMockdevIoctlData* urb = nullptr;
    bool dead = false;
    {
        std::lock_guard lock(node.mutex);
        if (!node.completed.empty()) {
            urb = node.completed.front();
            node.completed.pop_front();
        }
        dead = node.dead;
    }
    if (!urb)
        return complete(client, -1, dead ? ENODEV : EAGAIN);
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

} // namespace

struct BusCallbacks {
    static gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
        auto& node = *static_cast<UmockdevDfuBus::Node*>(self);
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        EmulatedDfuDevice& device = *node.port->device;
        bool dead;
        {
            std::lock_guard lock(node.mutex);
            dead = node.dead && node.completed.empty();
        }
        if (dead) {
            complete(client, -1, ENODEV);
            return TRUE;
        }
        GError* error = nullptr;
        switch (request) {
        case USBDEVFS_SUBMITURB:
            submit(node, device, client, arg);
            break;
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY:
            reap(node, client, arg);
            break;
        case USBDEVFS_DISCARDURB:
            complete(client, -1, EINVAL); // every URB completes at once: nothing is ever pending
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
            const bool ok = s && device.setAltSetting(static_cast<std::uint8_t>(
                                     reinterpret_cast<usbdevfs_setinterface*>(s->data)->altsetting));
            complete(client, ok ? 0 : -1, ok ? 0 : EINVAL);
            break;
        }
        case USBDEVFS_CONNECTINFO: {
            UMockdevIoctlData* c = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_connectinfo), &error);
            g_clear_error(&error);
            if (c) {
                auto* info = reinterpret_cast<usbdevfs_connectinfo*>(c->data);
                info->devnum = static_cast<unsigned>(node.port->address);
                info->slow = 0;
            }
            complete(client, c ? 0 : -1, c ? 0 : EFAULT);
            break;
        }
        case USBDEVFS_GET_SPEED:
            complete(client, 2, 0); // USB_SPEED_FULL
            break;
        case USBDEVFS_RESET:
            device.usbReset();
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
        switch (device.takeBusEvent()) {
        case BusEvent::None:
            break;
        case BusEvent::Vanish:
            node.bus->vanish(*node.port);
            break;
        case BusEvent::Reenumerate:
            ++node.bus->scheduled_;
            schedule(node, 20, &BusCallbacks::onReenumerate);
            break;
        }
        return TRUE;
    }

    /// Runs `fn` on the worker thread after `ms`, once the reply to the current request has gone out.
    static void schedule(UmockdevDfuBus::Node& node, unsigned ms, GSourceFunc fn) {
        GSource* source = g_timeout_source_new(ms);
        g_source_set_callback(source, fn, &node, nullptr);
        g_source_attach(source, g_main_context_get_thread_default());
        g_source_unref(source);
    }

    static gboolean onReenumerate(gpointer self) {
        auto& node = *static_cast<UmockdevDfuBus::Node*>(self);
        node.bus->reenumerate(*node.port);
        --node.bus->scheduled_;
        return G_SOURCE_REMOVE;
    }
};

UmockdevDfuBus::UmockdevDfuBus() : testbed_(umockdev_testbed_new()) {
}

UmockdevDfuBus::~UmockdevDfuBus() {
    // A re-enumeration still on its way would write into the testbed while it is being removed.
    for (int i = 0; i < 200 && scheduled_ > 0; ++i)
        g_usleep(5000);
    g_object_unref(testbed_);
}

std::string UmockdevDfuBus::root() const {
    gchar* dir = umockdev_testbed_get_root_dir(testbed_);
    std::string out = dir;
    g_free(dir);
    return out;
}

EmulatedDfuDevice& UmockdevDfuBus::plug(const DfuDeviceProfile& profile, const PlugOptions& options) {
    auto port = std::make_unique<Port>();
    port->device = std::make_unique<EmulatedDfuDevice>(profile, options.runtime, options.timeScale);
    port->number = static_cast<int>(ports_.size()) + 1;
    port->address = 2 * port->number; // room for one re-enumeration before the next port's address
    port->syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(port->number);
    ports_.push_back(std::move(port));
    attach(*ports_.back());
    return *ports_.back()->device;
}

void UmockdevDfuBus::attach(Port& port) {
    char address[4];
    std::snprintf(address, sizeof address, "%03d", port.address);
    const std::string devnode = std::string("/dev/bus/usb/001/") + address;
    const std::string description = "P: " + port.syspath.substr(4) + "\nN: bus/usb/001/" + address +
                                    "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=" + devnode +
                                    "\nE: BUSNUM=001\nE: DEVNUM=" + address +
                                    "\nA: busnum=1\\n\nA: devnum=" + std::to_string(port.address) +
                                    "\\n\nA: speed=12\\n\nA: bConfigurationValue=1\\n\n" +
                                    "H: descriptors=" + hex(port.device->descriptors()) + "\n";
    auto node = std::make_unique<Node>();
    node->bus = this;
    node->port = &port;
    node->devnode = devnode;
    node->handler = umockdev_ioctl_base_new();
    g_signal_connect(node->handler, "handle-ioctl", G_CALLBACK(&BusCallbacks::onIoctl), node.get());
    GError* error = nullptr;
    if (!umockdev_testbed_attach_ioctl(testbed_, devnode.c_str(), node->handler, &error)) {
        const std::string why = error ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev cannot serve " + devnode + ": " + why);
    }
    // The node is served before the device is announced, so a client that opens it on the "add" event
    // reaches this handler and not umockdev's default one.
    if (!umockdev_testbed_add_from_string(testbed_, description.c_str(), &error)) {
        const std::string why = error ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev refused the emulated device: " + why);
    }
    std::lock_guard lock(port.mutex);
    port.nodes.push_back(std::move(node));
}

void UmockdevDfuBus::vanish(Port& port) {
    {
        std::lock_guard lock(port.mutex);
        if (port.gone)
            return;
        port.gone = true;
        std::lock_guard nodeLock(port.nodes.back()->mutex);
        port.nodes.back()->dead = true;
    }
    umockdev_testbed_uevent(testbed_, port.syspath.c_str(), "remove");
    umockdev_testbed_remove_device(testbed_, port.syspath.c_str());
}

void UmockdevDfuBus::reenumerate(Port& port) {
    {
        std::lock_guard lock(port.mutex);
        std::lock_guard nodeLock(port.nodes.back()->mutex);
        port.nodes.back()->dead = true;
    }
    umockdev_testbed_uevent(testbed_, port.syspath.c_str(), "remove");
    umockdev_testbed_remove_device(testbed_, port.syspath.c_str());
    port.device->enterDfuMode();
    port.address += 1;
    attach(port);
}

bool UmockdevDfuBus::gone(std::size_t port) const {
    Port& p = *ports_.at(port - 1);
    std::lock_guard lock(p.mutex);
    return p.gone;
}

std::string UmockdevDfuBus::path(std::size_t port) const {
    return "1-" + std::to_string(ports_.at(port - 1)->number);
}

int UmockdevDfuBus::address(std::size_t port) const {
    Port& p = *ports_.at(port - 1);
    std::lock_guard lock(p.mutex);
    return p.address;
}

bool umockdevPreloaded() {
    const char* preload = std::getenv("LD_PRELOAD");
    return preload && std::strstr(preload, "libumockdev-preload");
}

void ensureUmockdevPreload(char** argv) {
    if (umockdevPreloaded())
        return;
    const char* preload = std::getenv("LD_PRELOAD");
    std::string value = "libumockdev-preload.so.0";
    if (preload && *preload)
        value += std::string(":") + preload;
    setenv("LD_PRELOAD", value.c_str(), 1);
    // ASan insists on coming first among preloaded libraries unless told otherwise.
    const char* asan = std::getenv("ASAN_OPTIONS");
    std::string asanOptions = asan ? std::string(asan) + ":" : std::string();
    setenv("ASAN_OPTIONS", (asanOptions + "verify_asan_link_order=0").c_str(), 1);
    execv("/proc/self/exe", argv);
    std::fprintf(stderr, "cannot re-execute under libumockdev-preload: %s\n", std::strerror(errno));
    std::exit(2);
}

} // namespace flashplan::emu

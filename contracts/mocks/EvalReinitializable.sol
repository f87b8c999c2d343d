// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @dev Evaluation fixture for the analyst: a live staking contract owned by the DAO whose `initialize`
 * can run again (the Audius governance bug of July 2022). Its first initialization is recorded the
 * standard way (OpenZeppelin's `Initializable`), but `initialize` is guarded by a legacy check that
 * reads its `initialized` / `initializing` flags from the low bytes of slot 0, where the admin's
 * address is stored: with those bytes non-zero, "initializing" always reads true and the guard always
 * passes. Whoever calls it becomes the owner. Not for deployment.
 */
contract EvalReinitializable is Initializable {
    using SafeERC20 for IERC20;

    /// @dev Slot 0: the admin address, whose bytes 0 and 1 the legacy guard reads as its flags.
    address private _admin;
    address public owner;
    uint256 public rewardRateBps;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error EvalAlreadyInitialized();
    error EvalUnauthorized(address caller);

    constructor(address admin_, address owner_) {
        _admin = admin_;
        _setUp(owner_);
    }

    function _setUp(address owner_) private initializer {
        _setOwner(owner_);
        rewardRateBps = 500;
    }

    /// @notice (Re)configures the contract; meant to run once.
    function initialize(address owner_) external {
        bool initialized;
        bool initializing;
        assembly {
            let word := sload(0)
            initialized := and(word, 0xff)
            initializing := and(shr(8, word), 0xff)
        }
        if (!initializing && initialized) revert EvalAlreadyInitialized();
        _setOwner(owner_);
    }

    /// @notice Sends `amount` of `token` to `to`; only the owner may.
    function withdraw(address token, address to, uint256 amount) external {
        if (msg.sender != owner) revert EvalUnauthorized(msg.sender);
        IERC20(token).safeTransfer(to, amount);
    }

    function _setOwner(address owner_) private {
        emit OwnershipTransferred(owner, owner_);
        owner = owner_;
    }
}
